package run.getstack.sdk.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Sends hand-written HTTP/1.1 bytes no well-behaved client would, and reads the answer up to its body's end. */
final class RawSocket {
    private RawSocket() {}

    /** The raw answer: status line, headers, body. */
    record Answer(int status, String head, String body) {}

    /**
     * Sends the bytes and reads one response (a read timeout guards the build against a hang; it is not an
     * assertion on time).
     */
    static Answer exchange(String baseUrl, String request) {
        return exchangeAll(baseUrl, request, 1).get(0);
    }

    /** Sends the bytes (several pipelined requests) and reads {@code count} responses off the one connection. */
    static java.util.List<Answer> exchangeAll(String baseUrl, String request, int count) {
        java.net.URI uri = java.net.URI.create(baseUrl);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int)
                    Duration.ofSeconds(10).toMillis());
            s.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            java.util.List<Answer> answers = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                answers.add(readOne(in));
            }
            return answers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer readOne(InputStream in) throws IOException {
        {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed before the response head: " + head);
                }
                head.write(c);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : h.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            int status = Integer.parseInt(h.substring(9, 12));
            return new Answer(status, h, new String(body, StandardCharsets.UTF_8));
        }
    }
}
