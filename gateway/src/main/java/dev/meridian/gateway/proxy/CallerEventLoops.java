package dev.meridian.gateway.proxy;

import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.EventLoopScheduler;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.util.ReleasableHolder;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

/**
 * Sends a request to a region from the event loop that read it from the client, so that a proxied request never
 * changes threads: each hand-over to another loop costs a wake-up both ways, a measurable part of the gateway's
 * added latency on a small shared machine. Each event loop keeps its own connection to each region. Requests
 * started off the event loops (health probes from a timer) take the group's next loop.
 */
public final class CallerEventLoops implements EventLoopScheduler {
    private final EventLoopGroup group;

    public CallerEventLoops(EventLoopGroup group) {
        this.group = group;
    }

    @Override
    public ReleasableHolder<EventLoop> acquire(SessionProtocol protocol, EndpointGroup endpoints, Endpoint endpoint) {
        EventLoop loop = current();
        return new ReleasableHolder<>() {
            @Override
            public EventLoop get() {
                return loop;
            }

            @Override
            public void release() {}
        };
    }

    private EventLoop current() {
        for (EventExecutor executor : group) {
            if (executor.inEventLoop()) {
                return (EventLoop) executor;
            }
        }
        return (EventLoop) group.next();
    }
}
