package dev.meridian.testkit;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The state of one link, which every pipe of every connection on it waits on while the link is black-holed. */
final class LinkGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private LinkState state = LinkState.OPEN;

    LinkState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    void set(LinkState next) {
        lock.lock();
        try {
            state = next;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks while the link is black-holed; answers whether bytes may flow (false once cut). */
    boolean awaitFlowing() throws InterruptedException {
        lock.lock();
        try {
            while (state == LinkState.BLACKHOLED) {
                changed.await();
            }
            return state == LinkState.OPEN;
        } finally {
            lock.unlock();
        }
    }
}
