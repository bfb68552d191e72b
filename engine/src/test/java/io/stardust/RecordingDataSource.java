package io.stardust;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that records the text of every statement prepared or executed through it, so tests can prove what
 * SQL a call ran (or that it ran none against entry data).
 */
public final class RecordingDataSource implements DataSource {
    private final DataSource delegate;
    private final List<String> statements = new CopyOnWriteArrayList<>();

    public RecordingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Every statement text since the last {@link #clear()}, in order. */
    public List<String> statements() {
        return new ArrayList<>(statements);
    }

    /** Statements that read or write entry data: {@code entry_data} or any slot page. */
    public List<String> entryDataStatements() {
        return statements().stream().filter(s -> s.contains("entry_data") || s.contains("entry_slots_page")).toList();
    }

    public void clear() {
        statements.clear();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection c) {
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            if ((name.startsWith("prepare")) && args != null && args.length > 0 && args[0] instanceof String sql) {
                statements.add(sql);
            }
            Object result = invoke(c, method, args);
            if (result instanceof Statement s && name.equals("createStatement")) {
                return wrapStatement(s);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private Statement wrapStatement(Statement s) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().startsWith("execute") && args != null && args.length > 0 && args[0] instanceof String sql) {
                statements.add(sql);
            }
            return invoke(s, method, args);
        };
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class}, h);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
