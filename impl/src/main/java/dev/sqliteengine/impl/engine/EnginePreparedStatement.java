package dev.sqliteengine.impl.engine;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;
import java.util.TreeMap;

/**
 * A prepared statement of an {@link EngineConnection}. Its SQL is classified once, when it is
 * prepared, so each execution only pays for the connection's checks, not for reading the SQL.
 * Its bound parameters are kept for the statement log only when the log shows parameters at the
 * time it is prepared ({@code log.parameters}); otherwise {@link #bound} is null and a setter
 * pays one null check.
 */
final class EnginePreparedStatement extends EngineStatement implements PreparedStatement {

    private final PreparedStatement statement;
    private final String sql;
    private final SqlKind kind;
    /** The parameters bound so far, by index, while the log shows them; else null. */
    private final Map<Integer, Object> bound;
    /** Parameter sets added with {@link #addBatch()} since the last execution, while {@link #bound} is kept. */
    private int batched;

    EnginePreparedStatement(EngineConnection connection, PreparedStatement statement, String sql) {
        super(connection, statement);
        this.statement = statement;
        this.sql = sql;
        this.kind = SqlKind.of(sql);
        this.bound = connection.statements.keepsParameters() ? new TreeMap<>() : null;
    }

    @Override
    Map<Integer, Object> parameters() {
        if (bound == null || batched == 0) {
            return bound;
        }
        return Map.of(0, "batch of " + batched + " parameter sets");
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return query(kind, sql, statement::executeQuery);
    }

    @Override
    public int executeUpdate() throws SQLException {
        return run(kind, sql, statement::executeUpdate, 0);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return run(kind, sql, statement::executeLargeUpdate, 0L);
    }

    @Override
    public boolean execute() throws SQLException {
        return run(kind, sql, statement::execute, false);
    }

    @Override
    public void addBatch() throws SQLException {
        statement.addBatch();
        if (bound != null) {
            batched++;
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        try {
            return run(kind, sql, statement::executeBatch, new int[0]);
        } finally {
            batched = 0;
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        try {
            return run(kind, sql, statement::executeLargeBatch, new long[0]);
        } finally {
            batched = 0;
        }
    }

    // Parameters and metadata go straight through

    @Override
    public void setNull(int index, int x) throws SQLException {
        statement.setNull(index, x);
        if (bound != null) {
            bound.put(index, null);
        }
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        statement.setBoolean(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        statement.setByte(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        statement.setShort(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        statement.setInt(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        statement.setLong(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        statement.setFloat(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        statement.setDouble(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
        statement.setBigDecimal(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        statement.setString(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
        statement.setBytes(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setDate(int index, Date x) throws SQLException {
        statement.setDate(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setTime(int index, Time x) throws SQLException {
        statement.setTime(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setTimestamp(int index, Timestamp x) throws SQLException {
        statement.setTimestamp(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream x, int y) throws SQLException {
        statement.setAsciiStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setUnicodeStream(int index, InputStream x, int y) throws SQLException {
        statement.setUnicodeStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream x, int y) throws SQLException {
        statement.setBinaryStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void clearParameters() throws SQLException {
        statement.clearParameters();
        if (bound != null) {
            bound.clear();
        }
    }

    @Override
    public void setObject(int index, Object x, int y) throws SQLException {
        statement.setObject(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        statement.setObject(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setCharacterStream(int index, Reader x, int y) throws SQLException {
        statement.setCharacterStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setRef(int index, Ref x) throws SQLException {
        statement.setRef(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBlob(int index, Blob x) throws SQLException {
        statement.setBlob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setClob(int index, Clob x) throws SQLException {
        statement.setClob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setArray(int index, Array x) throws SQLException {
        statement.setArray(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return statement.getMetaData();
    }

    @Override
    public void setDate(int index, Date x, Calendar y) throws SQLException {
        statement.setDate(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setTime(int index, Time x, Calendar y) throws SQLException {
        statement.setTime(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setTimestamp(int index, Timestamp x, Calendar y) throws SQLException {
        statement.setTimestamp(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNull(int index, int x, String y) throws SQLException {
        statement.setNull(index, x, y);
        if (bound != null) {
            bound.put(index, null);
        }
    }

    @Override
    public void setURL(int index, URL x) throws SQLException {
        statement.setURL(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return statement.getParameterMetaData();
    }

    @Override
    public void setRowId(int index, RowId x) throws SQLException {
        statement.setRowId(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        statement.setNString(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNCharacterStream(int index, Reader x, long y) throws SQLException {
        statement.setNCharacterStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNClob(int index, NClob x) throws SQLException {
        statement.setNClob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setClob(int index, Reader x, long y) throws SQLException {
        statement.setClob(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBlob(int index, InputStream x, long y) throws SQLException {
        statement.setBlob(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNClob(int index, Reader x, long y) throws SQLException {
        statement.setNClob(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setSQLXML(int index, SQLXML x) throws SQLException {
        statement.setSQLXML(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setObject(int index, Object x, int y, int z) throws SQLException {
        statement.setObject(index, x, y, z);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream x, long y) throws SQLException {
        statement.setAsciiStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream x, long y) throws SQLException {
        statement.setBinaryStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setCharacterStream(int index, Reader x, long y) throws SQLException {
        statement.setCharacterStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream x) throws SQLException {
        statement.setAsciiStream(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream x) throws SQLException {
        statement.setBinaryStream(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setCharacterStream(int index, Reader x) throws SQLException {
        statement.setCharacterStream(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNCharacterStream(int index, Reader x) throws SQLException {
        statement.setNCharacterStream(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setClob(int index, Reader x) throws SQLException {
        statement.setClob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBlob(int index, InputStream x) throws SQLException {
        statement.setBlob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNClob(int index, Reader x) throws SQLException {
        statement.setNClob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }
}
