package dev.sqliteengine.impl.jdbc;

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
 * <p>
 * Why one long class: {@link PreparedStatement} adds about 60 parameter setters to
 * {@code Statement}'s methods, each a delegation plus the log's copy of the value.
 */
final class EnginePreparedStatement extends EngineStatement implements PreparedStatement {

    private final PreparedStatement statement;
    private final String sql;
    private final SqlKind kind;
    /** Whether running it may change the schema (see {@link SqlKind#mayChangeSchema}), read once. */
    private final boolean changesSchema;
    /** The parameters bound so far, by index, while the log shows them; else null. */
    private final Map<Integer, Object> bound;
    /** Parameter sets added with {@link #addBatch()} since the last execution, while {@link #bound} is kept. */
    private int batched;
    /** The cache the driver statement goes back to when this one closes; null when it is not cached. */
    private final StatementCache home;
    /** The cache's schema epoch when the driver statement was prepared (see {@link StatementCache}). */
    final long epoch;
    /** The driver's rows of the last {@link #executeQuery()}, closed (which resets the statement) on return. */
    private ResultSet driverRows;

    EnginePreparedStatement(EngineConnection connection, PreparedStatement statement, String sql) {
        this(connection, statement, sql, SqlKind.of(sql), SqlKind.mayChangeSchema(sql), null, 0L);
    }

    /**
     * A statement over a driver statement that {@code home} lent, with what was read of its SQL
     * when it was first prepared.
     */
    EnginePreparedStatement(EngineConnection connection, PreparedStatement statement, String sql, SqlKind kind,
            boolean changesSchema, StatementCache home, long epoch) {
        super(connection, statement);
        this.statement = statement;
        this.sql = sql;
        this.kind = kind;
        this.changesSchema = changesSchema;
        this.home = home;
        this.epoch = epoch;
        this.bound = connection.statements().keepsParameters() ? new TreeMap<>() : null;
    }

    /** @return the driver's statement, while this one is open */
    private PreparedStatement prepared() throws SQLException {
        driver(); // throws once closed
        return statement;
    }

    PreparedStatement driverStatement() {
        return statement;
    }

    String sql() {
        return sql;
    }

    SqlKind kind() {
        return kind;
    }

    boolean schemaChanging() {
        return changesSchema;
    }

    /**
     * Resets the driver statement for its next user: closes the rows of its last query (the
     * driver resets the SQLite statement then, ending the read it held), clears its parameters,
     * batch and warnings.
     *
     * @throws SQLException when it cannot be reset; the cache closes it then
     */
    void resetDriver() throws SQLException {
        if (driverRows != null) {
            driverRows.close();
            driverRows = null;
        }
        statement.clearParameters();
        statement.clearBatch();
        statement.clearWarnings();
    }

    @Override
    boolean changesSchema(String sql) {
        return changesSchema;
    }

    @Override
    void release(java.sql.Statement driver) throws SQLException {
        if (home == null) {
            driver.close();
        } else {
            home.giveBack(this);
        }
    }

    /** Closed by its connection's check-in, which takes the cached statements back. */
    void reclaim() {
        try {
            close();
        } catch (SQLException e) {
            // giveBack closes a statement it cannot reset; nothing is left to undo
        }
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
        return query(kind, sql, () -> driverRows = prepared().executeQuery());
    }

    @Override
    public int executeUpdate() throws SQLException {
        return run(kind, sql, prepared()::executeUpdate, 0);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return run(kind, sql, prepared()::executeLargeUpdate, 0L);
    }

    @Override
    public boolean execute() throws SQLException {
        reusable = false; // its rows, if any, are read through getResultSet, past driverRows
        return run(kind, sql, prepared()::execute, false);
    }

    @Override
    public void addBatch() throws SQLException {
        prepared().addBatch();
        if (bound != null) {
            batched++;
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        try {
            return run(kind, sql, prepared()::executeBatch, new int[0]);
        } finally {
            batched = 0;
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        try {
            return run(kind, sql, prepared()::executeLargeBatch, new long[0]);
        } finally {
            batched = 0;
        }
    }

    // Parameters and metadata go straight through

    @Override
    public void setNull(int index, int x) throws SQLException {
        prepared().setNull(index, x);
        if (bound != null) {
            bound.put(index, null);
        }
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        prepared().setBoolean(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        prepared().setByte(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        prepared().setShort(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        prepared().setInt(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        prepared().setLong(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        prepared().setFloat(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        prepared().setDouble(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
        prepared().setBigDecimal(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        prepared().setString(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
        prepared().setBytes(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setDate(int index, Date x) throws SQLException {
        prepared().setDate(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setTime(int index, Time x) throws SQLException {
        prepared().setTime(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setTimestamp(int index, Timestamp x) throws SQLException {
        prepared().setTimestamp(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream x, int y) throws SQLException {
        prepared().setAsciiStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setUnicodeStream(int index, InputStream x, int y) throws SQLException {
        prepared().setUnicodeStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream x, int y) throws SQLException {
        prepared().setBinaryStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void clearParameters() throws SQLException {
        prepared().clearParameters();
        if (bound != null) {
            bound.clear();
        }
    }

    @Override
    public void setObject(int index, Object x, int y) throws SQLException {
        prepared().setObject(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        prepared().setObject(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setCharacterStream(int index, Reader x, int y) throws SQLException {
        prepared().setCharacterStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setRef(int index, Ref x) throws SQLException {
        prepared().setRef(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBlob(int index, Blob x) throws SQLException {
        prepared().setBlob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setClob(int index, Clob x) throws SQLException {
        prepared().setClob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setArray(int index, Array x) throws SQLException {
        prepared().setArray(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return prepared().getMetaData();
    }

    @Override
    public void setDate(int index, Date x, Calendar y) throws SQLException {
        prepared().setDate(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setTime(int index, Time x, Calendar y) throws SQLException {
        prepared().setTime(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setTimestamp(int index, Timestamp x, Calendar y) throws SQLException {
        prepared().setTimestamp(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNull(int index, int x, String y) throws SQLException {
        prepared().setNull(index, x, y);
        if (bound != null) {
            bound.put(index, null);
        }
    }

    @Override
    public void setURL(int index, URL x) throws SQLException {
        prepared().setURL(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return prepared().getParameterMetaData();
    }

    @Override
    public void setRowId(int index, RowId x) throws SQLException {
        prepared().setRowId(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        prepared().setNString(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNCharacterStream(int index, Reader x, long y) throws SQLException {
        prepared().setNCharacterStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNClob(int index, NClob x) throws SQLException {
        prepared().setNClob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setClob(int index, Reader x, long y) throws SQLException {
        prepared().setClob(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBlob(int index, InputStream x, long y) throws SQLException {
        prepared().setBlob(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNClob(int index, Reader x, long y) throws SQLException {
        prepared().setNClob(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setSQLXML(int index, SQLXML x) throws SQLException {
        prepared().setSQLXML(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setObject(int index, Object x, int y, int z) throws SQLException {
        prepared().setObject(index, x, y, z);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream x, long y) throws SQLException {
        prepared().setAsciiStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream x, long y) throws SQLException {
        prepared().setBinaryStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setCharacterStream(int index, Reader x, long y) throws SQLException {
        prepared().setCharacterStream(index, x, y);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream x) throws SQLException {
        prepared().setAsciiStream(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream x) throws SQLException {
        prepared().setBinaryStream(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setCharacterStream(int index, Reader x) throws SQLException {
        prepared().setCharacterStream(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNCharacterStream(int index, Reader x) throws SQLException {
        prepared().setNCharacterStream(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setClob(int index, Reader x) throws SQLException {
        prepared().setClob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setBlob(int index, InputStream x) throws SQLException {
        prepared().setBlob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }

    @Override
    public void setNClob(int index, Reader x) throws SQLException {
        prepared().setNClob(index, x);
        if (bound != null) {
            bound.put(index, x);
        }
    }
}
