package dev.meridian.control;

import dev.meridian.control.ControlCommand.AgreeWrite;
import dev.meridian.control.ControlCommand.ChangePrimary;
import dev.meridian.control.ControlCommand.RecordHeartbeat;
import dev.meridian.control.ControlState.AgreedHeartbeat;
import dev.meridian.core.strong.StrongWrite;
import dev.meridian.core.strong.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The bytes of log entries, their replies and snapshots. Entries stay in the log for good, so a format change must
 * keep reading the old one: every layout starts with a tag or version byte for that.
 */
final class ControlCodec {
    private static final byte HEARTBEAT = 1;
    private static final byte CHANGE_PRIMARY = 2;
    private static final byte AGREE_WRITE = 3;
    private static final byte BARRIER = 4;
    private static final byte CHANGED = 1;
    private static final byte REJECTED = 2;
    private static final byte SNAPSHOT_V1 = 1;
    /** Version 1 and the strong tables' agreed keys after it. */
    private static final byte SNAPSHOT_V2 = 2;

    private ControlCodec() {}

    static Message encode(ControlCommand command) {
        return Message.valueOf(ByteString.copyFrom(write(out -> {
            if (command instanceof RecordHeartbeat h) {
                out.writeByte(HEARTBEAT);
                out.writeUTF(h.member());
                out.writeLong(h.incarnation());
                out.writeLong(h.sentNanos());
                writeHeartbeat(out, h.heartbeat());
            } else if (command instanceof ChangePrimary c) {
                out.writeByte(CHANGE_PRIMARY);
                out.writeUTF(c.to());
                out.writeLong(c.expectedEpoch());
                out.writeBoolean(c.planned());
                out.writeBoolean(c.primaryHeartbeatIndex().isPresent());
                if (c.primaryHeartbeatIndex().isPresent()) {
                    out.writeLong(c.primaryHeartbeatIndex().getAsLong());
                }
            } else if (command instanceof AgreeWrite a) {
                out.writeByte(AGREE_WRITE);
                writeStrongWrite(out, a.write());
            } else if (command instanceof ControlCommand.Barrier) {
                out.writeByte(BARRIER);
            }
        })));
    }

    static ControlCommand decodeCommand(ByteString bytes) {
        return read(bytes.newInput(), in -> {
            byte tag = in.readByte();
            return switch (tag) {
                case HEARTBEAT -> new RecordHeartbeat(in.readUTF(), in.readLong(), in.readLong(), readHeartbeat(in));
                case CHANGE_PRIMARY -> new ChangePrimary(in.readUTF(), in.readLong(), in.readBoolean(),
                        in.readBoolean() ? OptionalLong.of(in.readLong()) : OptionalLong.empty());
                case AGREE_WRITE -> new AgreeWrite(readStrongWrite(in));
                case BARRIER -> new ControlCommand.Barrier();
                default -> throw new IOException("unknown control log entry tag " + tag);
            };
        });
    }

    static Message changed(SqlRole role) {
        return Message.valueOf(ByteString.copyFrom(write(out -> {
            out.writeByte(CHANGED);
            writeRole(out, role);
        })));
    }

    static Message rejected(String reason) {
        return Message.valueOf(ByteString.copyFrom(write(out -> {
            out.writeByte(REJECTED);
            out.writeUTF(reason);
        })));
    }

    /** The role a change of primary produced; throws when the state machine rejected the change. */
    static SqlRole changeOutcome(ByteString reply) {
        return read(reply.newInput(), in -> {
            if (in.readByte() == REJECTED) {
                throw new ControlException(in.readUTF());
            }
            return readRole(in);
        });
    }

    static Message verdict(Verdict verdict) {
        return Message.valueOf(ByteString.copyFrom(write(out -> {
            out.writeBoolean(verdict.accepted());
            out.writeLong(verdict.index());
            out.writeLong(verdict.keyIndex());
        })));
    }

    static Verdict decodeVerdict(ByteString reply) {
        return read(reply.newInput(), in -> new Verdict(in.readBoolean(), in.readLong(), in.readLong()));
    }

    static byte[] encodeState(ControlState state, AgreedKeys keys) {
        return write(out -> {
            out.writeByte(SNAPSHOT_V2);
            writeRole(out, state.role());
            out.writeBoolean(state.lastFailover().isPresent());
            if (state.lastFailover().isPresent()) {
                Failover f = state.lastFailover().get();
                out.writeUTF(f.from());
                out.writeUTF(f.to());
                out.writeLong(f.epoch());
                out.writeLong(f.fromLsn());
                out.writeLong(f.toLsn());
                out.writeBoolean(f.planned());
            }
            out.writeInt(state.heartbeats().size());
            for (var entry : state.heartbeats().entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeLong(entry.getValue().index());
                writeHeartbeat(out, entry.getValue().heartbeat());
            }
            keys.write(out);
        });
    }

    /** Reads a snapshot: returns its state, and replaces what {@code keys} holds with its agreed keys. */
    static ControlState decodeState(InputStream bytes, AgreedKeys keys) {
        return read(bytes, in -> {
            byte version = in.readByte();
            if (version != SNAPSHOT_V1 && version != SNAPSHOT_V2) {
                throw new IOException("unknown control snapshot version " + version);
            }
            SqlRole role = readRole(in);
            Optional<Failover> failover = in.readBoolean()
                    ? Optional.of(new Failover(in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readLong(),
                            in.readBoolean()))
                    : Optional.empty();
            int count = in.readInt();
            var heartbeats = new HashMap<String, AgreedHeartbeat>();
            for (int i = 0; i < count; i++) {
                heartbeats.put(in.readUTF(), new AgreedHeartbeat(in.readLong(), readHeartbeat(in)));
            }
            if (version == SNAPSHOT_V2) {
                keys.readFrom(in);
            }
            return new ControlState(role, heartbeats, failover);
        });
    }

    private static void writeHeartbeat(DataOutput out, Heartbeat heartbeat) throws IOException {
        out.writeLong(heartbeat.walLsn());
        out.writeBoolean(heartbeat.eligible());
    }

    private static Heartbeat readHeartbeat(DataInput in) throws IOException {
        return new Heartbeat(in.readLong(), in.readBoolean());
    }

    private static void writeStrongWrite(DataOutput out, StrongWrite write) throws IOException {
        out.writeUTF(write.keyspace());
        writeBytes(out, write.key());
        out.writeBoolean(write.isDelete());
        if (!write.isDelete()) {
            writeBytes(out, write.value());
        }
        out.writeLong(write.readIndex());
        out.writeLong(write.timestamp());
        out.writeUTF(write.region());
    }

    private static StrongWrite readStrongWrite(DataInput in) throws IOException {
        String keyspace = in.readUTF();
        byte[] key = readBytes(in);
        byte[] value = in.readBoolean() ? null : readBytes(in);
        return new StrongWrite(keyspace, key, value, in.readLong(), in.readLong(), in.readUTF());
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeRole(DataOutput out, SqlRole role) throws IOException {
        out.writeUTF(role.primary());
        out.writeLong(role.epoch());
    }

    private static SqlRole readRole(DataInput in) throws IOException {
        return new SqlRole(in.readUTF(), in.readLong());
    }

    private interface Writer {
        void write(DataOutput out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static <T> T read(InputStream bytes, Reader<T> reader) {
        try (var in = new DataInputStream(bytes)) {
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable control plane data: " + e.getMessage(), e);
        }
    }
}
