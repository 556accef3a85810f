package dev.sqliteengine.launcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Waits for services by their registration events, not by polling: a tracker counts the
 * matching services as they appear. The caller closes the tracker when it no longer uses the
 * service it got from it.
 */
final class ServiceWait {

    private ServiceWait() {}

    /**
     * @return an open tracker once at least {@code count} services match; on timeout the tracker
     *         is open too, and {@code tracker.size() < count} tells the caller
     */
    static ServiceTracker<Object, Object> await(BundleContext context, String filter, int count, long millis)
            throws InvalidSyntaxException, InterruptedException {
        CountDownLatch enough = new CountDownLatch(Math.max(count, 0));
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, FrameworkUtil.createFilter(filter), null) {
            @Override
            public Object addingService(ServiceReference<Object> reference) {
                Object service = super.addingService(reference);
                enough.countDown();
                return service;
            }
        };
        tracker.open(true);
        enough.await(millis, TimeUnit.MILLISECONDS);
        return tracker;
    }
}
