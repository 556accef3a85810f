package dev.sqliteengine.impl.engine;

import dev.sqliteengine.api.EngineEvent;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * Wraps a raw connection (from {@code Engine.connect()} or the {@code DataSource}) so that
 * closing it fires a {@code checkedIn} event. Only used while someone listens: without
 * listeners the caller gets HikariCP's connection itself, with no proxy in between.
 */
final class CheckinNotice implements InvocationHandler {

    private final Connection target;
    private final ListenerSet listeners;
    private boolean closed;

    private CheckinNotice(Connection target, ListenerSet listeners) {
        this.target = target;
        this.listeners = listeners;
    }

    static Connection wrap(Connection target, ListenerSet listeners) {
        return (Connection) Proxy.newProxyInstance(CheckinNotice.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new CheckinNotice(target, listeners));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        try {
            Object result = method.invoke(target, args);
            if ("close".equals(method.getName()) && method.getParameterCount() == 0 && !closed) {
                closed = true;
                listeners.fire(EngineEvent.Type.CHECKIN, "connection returned", null);
            }
            return result;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
