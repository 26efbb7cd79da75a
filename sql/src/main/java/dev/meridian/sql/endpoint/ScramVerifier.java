package dev.meridian.sql.endpoint;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.ServerFirstMessage;
import com.ongres.scram.common.StringPreparation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802/7677) as PostgreSQL speaks it: AuthenticationSASL, the client's
 * first message, AuthenticationSASLContinue, the client's proof, AuthenticationSASLFinal. Passwords from the
 * configuration are turned into stored and server keys once, at start; the password itself is not kept. An
 * unknown user goes through the same exchange with made-up keys and fails the same way a wrong password does, as
 * PostgreSQL does, so the answer does not tell which users exist.
 */
final class ScramVerifier {
    private static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;
    private static final int ITERATIONS = 4096;
    private static final int SASL = 10;
    private static final int SASL_CONTINUE = 11;
    private static final int SASL_FINAL = 12;

    private record Keys(String salt, byte[] storedKey, byte[] serverKey) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Keys> users = new HashMap<>();
    private final Keys unknownUser;

    ScramVerifier(Map<String, String> passwords) {
        passwords.forEach((user, password) -> users.put(user, keys(password)));
        unknownUser = keys(ScramFunctions.nonce(24, random));
    }

    /** Runs the exchange on {@code client}; returns normally only when the client proved it knows the password. */
    void authenticate(PgStream client, String user) throws IOException {
        Keys keys = users.getOrDefault(user, unknownUser);
        client.write(Messages.authentication(SASL, Messages.cstrings(MECHANISM.getName(), "")));
        client.flush();

        PgMessage initial = expectPassword(client.read());
        String mechanism = initial.cstring(0);
        if (!mechanism.equals(MECHANISM.getName())) {
            throw new ProtocolException("28000", "client selected an invalid SASL authentication mechanism");
        }
        int dataOffset = initial.skipCstring(0) + 4;
        String clientFirstText = new String(initial.body(), dataOffset, initial.body().length - dataOffset,
                StandardCharsets.UTF_8);
        // client-first-message: a GS2 header ("n,," or "y,,": no channel binding, no authzid), then the bare part
        // "n=<user>,r=<nonce>". libpq leaves the user empty (the startup packet names it), so it is not read here.
        int headerEnd = clientFirstText.indexOf(',', clientFirstText.indexOf(',') + 1);
        if (clientFirstText.startsWith("p=")) {
            throw new ProtocolException("28000", "channel binding is not supported without SSL");
        }
        if (headerEnd < 0 || !(clientFirstText.startsWith("n,") || clientFirstText.startsWith("y,"))) {
            throw new ProtocolException("08P01", "malformed SCRAM message (invalid GS2 header)");
        }
        String bare = clientFirstText.substring(headerEnd + 1);
        String clientNonce = attribute(bare, 'r');
        if (clientNonce == null || clientNonce.isEmpty()) {
            throw new ProtocolException("08P01", "malformed SCRAM message (no client nonce)");
        }
        String serverNonce = ScramFunctions.nonce(18, random);
        String nonce = clientNonce + serverNonce;
        var serverFirst = new ServerFirstMessage(clientNonce, serverNonce, keys.salt(), ITERATIONS);
        client.write(Messages.authentication(SASL_CONTINUE, serverFirst.toString().getBytes(StandardCharsets.UTF_8)));
        client.flush();

        String clientFinal = new String(expectPassword(client.read()).body(), StandardCharsets.UTF_8);
        int proofAt = clientFinal.lastIndexOf(",p=");
        String withoutProof = proofAt < 0 ? "" : clientFinal.substring(0, proofAt);
        if (proofAt < 0 || !withoutProof.contains("r=" + nonce)) {
            throw new ProtocolException("08P01", "malformed SCRAM message");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("08P01", "malformed SCRAM message (invalid proof)");
        }
        String authMessage = bare + "," + serverFirst + "," + withoutProof;
        if (keys == unknownUser || proof.length != keys.storedKey().length
                || !ScramFunctions.verifyClientProof(MECHANISM, proof, keys.storedKey(), authMessage)) {
            throw new ProtocolException("28P01", "password authentication failed for user \"" + user + "\"");
        }
        byte[] serverSignature = ScramFunctions.serverSignature(MECHANISM, keys.serverKey(), authMessage);
        client.write(Messages.authentication(SASL_FINAL,
                ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8)));
    }

    private Keys keys(String password) {
        byte[] salt = ScramFunctions.salt(16, random);
        byte[] salted = ScramFunctions.saltedPassword(MECHANISM, StringPreparation.POSTGRESQL_PREPARATION,
                password.toCharArray(), salt, ITERATIONS);
        return new Keys(Base64.getEncoder().encodeToString(salt),
                ScramFunctions.storedKey(MECHANISM, ScramFunctions.clientKey(MECHANISM, salted)),
                ScramFunctions.serverKey(MECHANISM, salted));
    }

    private static PgMessage expectPassword(PgMessage message) {
        if (message.type() != Messages.PASSWORD) {
            throw new ProtocolException("08P01", "expected SASL response, got message type " + (char) message.type());
        }
        return message;
    }

    /** The value of attribute {@code name} ({@code r=...}) in a comma-separated SCRAM message, or null. */
    private static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }
}
