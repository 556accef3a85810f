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

/**
 * A prepared statement of an {@link EngineConnection}. Its SQL is classified once, when it is
 * prepared, so each execution only pays for the connection's checks, not for reading the SQL.
 */
final class EnginePreparedStatement extends EngineStatement implements PreparedStatement {

    private final PreparedStatement statement;
    private final SqlKind kind;

    EnginePreparedStatement(EngineConnection connection, PreparedStatement statement, SqlKind kind) {
        super(connection, statement);
        this.statement = statement;
        this.kind = kind;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return query(kind, statement::executeQuery);
    }

    @Override
    public int executeUpdate() throws SQLException {
        return run(kind, statement::executeUpdate, 0);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return run(kind, statement::executeLargeUpdate, 0L);
    }

    @Override
    public boolean execute() throws SQLException {
        return run(kind, statement::execute, false);
    }

    @Override
    public void addBatch() throws SQLException {
        statement.addBatch();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return run(kind, statement::executeBatch, new int[0]);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return run(kind, statement::executeLargeBatch, new long[0]);
    }

    // Parameters and metadata go straight through

    @Override
    public void setNull(int index, int x) throws SQLException {
        statement.setNull(index, x);
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        statement.setBoolean(index, x);
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        statement.setByte(index, x);
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        statement.setShort(index, x);
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        statement.setInt(index, x);
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        statement.setLong(index, x);
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        statement.setFloat(index, x);
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        statement.setDouble(index, x);
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
        statement.setBigDecimal(index, x);
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        statement.setString(index, x);
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
        statement.setBytes(index, x);
    }

    @Override
    public void setDate(int index, Date x) throws SQLException {
        statement.setDate(index, x);
    }

    @Override
    public void setTime(int index, Time x) throws SQLException {
        statement.setTime(index, x);
    }

    @Override
    public void setTimestamp(int index, Timestamp x) throws SQLException {
        statement.setTimestamp(index, x);
    }

    @Override
    public void setAsciiStream(int index, InputStream x, int y) throws SQLException {
        statement.setAsciiStream(index, x, y);
    }

    @Override
    public void setUnicodeStream(int index, InputStream x, int y) throws SQLException {
        statement.setUnicodeStream(index, x, y);
    }

    @Override
    public void setBinaryStream(int index, InputStream x, int y) throws SQLException {
        statement.setBinaryStream(index, x, y);
    }

    @Override
    public void clearParameters() throws SQLException {
        statement.clearParameters();
    }

    @Override
    public void setObject(int index, Object x, int y) throws SQLException {
        statement.setObject(index, x, y);
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        statement.setObject(index, x);
    }

    @Override
    public void setCharacterStream(int index, Reader x, int y) throws SQLException {
        statement.setCharacterStream(index, x, y);
    }

    @Override
    public void setRef(int index, Ref x) throws SQLException {
        statement.setRef(index, x);
    }

    @Override
    public void setBlob(int index, Blob x) throws SQLException {
        statement.setBlob(index, x);
    }

    @Override
    public void setClob(int index, Clob x) throws SQLException {
        statement.setClob(index, x);
    }

    @Override
    public void setArray(int index, Array x) throws SQLException {
        statement.setArray(index, x);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return statement.getMetaData();
    }

    @Override
    public void setDate(int index, Date x, Calendar y) throws SQLException {
        statement.setDate(index, x, y);
    }

    @Override
    public void setTime(int index, Time x, Calendar y) throws SQLException {
        statement.setTime(index, x, y);
    }

    @Override
    public void setTimestamp(int index, Timestamp x, Calendar y) throws SQLException {
        statement.setTimestamp(index, x, y);
    }

    @Override
    public void setNull(int index, int x, String y) throws SQLException {
        statement.setNull(index, x, y);
    }

    @Override
    public void setURL(int index, URL x) throws SQLException {
        statement.setURL(index, x);
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return statement.getParameterMetaData();
    }

    @Override
    public void setRowId(int index, RowId x) throws SQLException {
        statement.setRowId(index, x);
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        statement.setNString(index, x);
    }

    @Override
    public void setNCharacterStream(int index, Reader x, long y) throws SQLException {
        statement.setNCharacterStream(index, x, y);
    }

    @Override
    public void setNClob(int index, NClob x) throws SQLException {
        statement.setNClob(index, x);
    }

    @Override
    public void setClob(int index, Reader x, long y) throws SQLException {
        statement.setClob(index, x, y);
    }

    @Override
    public void setBlob(int index, InputStream x, long y) throws SQLException {
        statement.setBlob(index, x, y);
    }

    @Override
    public void setNClob(int index, Reader x, long y) throws SQLException {
        statement.setNClob(index, x, y);
    }

    @Override
    public void setSQLXML(int index, SQLXML x) throws SQLException {
        statement.setSQLXML(index, x);
    }

    @Override
    public void setObject(int index, Object x, int y, int z) throws SQLException {
        statement.setObject(index, x, y, z);
    }

    @Override
    public void setAsciiStream(int index, InputStream x, long y) throws SQLException {
        statement.setAsciiStream(index, x, y);
    }

    @Override
    public void setBinaryStream(int index, InputStream x, long y) throws SQLException {
        statement.setBinaryStream(index, x, y);
    }

    @Override
    public void setCharacterStream(int index, Reader x, long y) throws SQLException {
        statement.setCharacterStream(index, x, y);
    }

    @Override
    public void setAsciiStream(int index, InputStream x) throws SQLException {
        statement.setAsciiStream(index, x);
    }

    @Override
    public void setBinaryStream(int index, InputStream x) throws SQLException {
        statement.setBinaryStream(index, x);
    }

    @Override
    public void setCharacterStream(int index, Reader x) throws SQLException {
        statement.setCharacterStream(index, x);
    }

    @Override
    public void setNCharacterStream(int index, Reader x) throws SQLException {
        statement.setNCharacterStream(index, x);
    }

    @Override
    public void setClob(int index, Reader x) throws SQLException {
        statement.setClob(index, x);
    }

    @Override
    public void setBlob(int index, InputStream x) throws SQLException {
        statement.setBlob(index, x);
    }

    @Override
    public void setNClob(int index, Reader x) throws SQLException {
        statement.setNClob(index, x);
    }
}
