package dev.meridian.sql.endpoint;

import com.ongres.scram.client.ScramClient;
import com.ongres.scram.common.StringPreparation;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A SCRAM login on a raw socket, for tests that then send what no driver would. */
final class RawLogin {
    private RawLogin() {}

    /** Logs in and reads up to the first ReadyForQuery. */
    static void login(DataInputStream in, OutputStream out, String user, String password) throws IOException {
        var startup = new ByteArrayOutputStream();
        startup.writeBytes(ByteBuffer.allocate(4).putInt(196608).array());
        startup.writeBytes(Messages.cstrings("user", user, "database", "postgres"));
        startup.write(0);
        out.write(ByteBuffer.allocate(4).putInt(startup.size() + 4).array());
        out.write(startup.toByteArray());
        out.flush();
        ScramClient scram = ScramClient.builder().advertisedMechanisms(List.of("SCRAM-SHA-256")).username(user)
                .password(password.toCharArray()).stringPreparation(StringPreparation.POSTGRESQL_PREPARATION).build();
        while (true) {
            byte type = in.readByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            if (type == 'Z') {
                return;
            }
            if (type == 'E') {
                throw new IOException("login failed: " + new String(body, StandardCharsets.UTF_8));
            }
            if (type != 'R') {
                continue;
            }
            int code = ByteBuffer.wrap(body).getInt();
            String data = new String(body, 4, body.length - 4, StandardCharsets.UTF_8);
            try {
                if (code == 10) {
                    out.write(Messages.saslInitialResponse("SCRAM-SHA-256",
                            scram.clientFirstMessage().toString().getBytes(StandardCharsets.UTF_8)).encode());
                } else if (code == 11) {
                    scram.serverFirstMessage(data);
                    out.write(Messages.saslResponse(
                            scram.clientFinalMessage().toString().getBytes(StandardCharsets.UTF_8)).encode());
                } else if (code == 12) {
                    scram.serverFinalMessage(data);
                }
            } catch (Exception e) {
                throw new IOException("SCRAM failed", e);
            }
            out.flush();
        }
    }
}
