package run.getstack.sdk.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ServerSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Server sockets whose connections take a body off a {@code GET} or {@code HEAD} before MockWebServer reads the
 * request. MockWebServer refuses such a request by failing the connection without any answer (the client waits, and
 * its log line quotes the request line, lease id included); here the body is skipped and the request marked with
 * {@value #MARKER}, so the front answers 400 in STACK's error envelope (wire protocol §1.1).
 *
 * <p>Each connection's bytes are read request by request: a request head (at most {@value #MAX_HEAD} bytes) is
 * parsed for its method, {@code Content-Length} and {@code Transfer-Encoding}, and that many body bytes are passed on
 * unchanged. After a chunked body (which is not tracked) or an oversized head the rest of the connection passes
 * through untouched.
 */
final class BodyGuardSocketFactory extends ServerSocketFactory {
    /** The header a refused body is replaced with. */
    static final String MARKER = "X-Fake-Body-Refused";

    static final int MAX_HEAD = 65_536;

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new GuardedServerSocket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        ServerSocket s = new GuardedServerSocket();
        s.bind(new java.net.InetSocketAddress(port));
        return s;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        ServerSocket s = new GuardedServerSocket();
        s.bind(new java.net.InetSocketAddress(port), backlog);
        return s;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        ServerSocket s = new GuardedServerSocket();
        s.bind(new java.net.InetSocketAddress(address, port), backlog);
        return s;
    }

    private static final class GuardedServerSocket extends ServerSocket {
        GuardedServerSocket() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            Socket s = new GuardedSocket();
            implAccept(s);
            // MockWebServer writes a response's head and body separately: with Nagle's algorithm on, the body waits
            // for the client's delayed ACK of the head (about 40 ms on Linux loopback) on every response
            s.setTcpNoDelay(true);
            return s;
        }
    }

    private static final class GuardedSocket extends Socket {
        private @Nullable InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BodyGuard(new BufferedInputStream(super.getInputStream()));
            }
            return in;
        }
    }

    /** The request-by-request reader. Confined to the connection's thread. */
    static final class BodyGuard extends InputStream {
        private enum Mode {
            HEAD,
            BODY,
            SKIP,
            PASS,
            END
        }

        private final InputStream raw;
        private Mode mode = Mode.HEAD;
        private long remaining;
        private byte[] pending = new byte[0];
        private int pendingPos;

        BodyGuard(InputStream raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (pendingPos < pending.length) {
                    int n = Math.min(len, pending.length - pendingPos);
                    System.arraycopy(pending, pendingPos, b, off, n);
                    pendingPos += n;
                    return n;
                }
                switch (mode) {
                    case END -> {
                        return -1;
                    }
                    case PASS -> {
                        return raw.read(b, off, len);
                    }
                    case BODY -> {
                        if (remaining == 0) {
                            mode = Mode.HEAD;
                            continue;
                        }
                        int n = raw.read(b, off, (int) Math.min(len, remaining));
                        if (n > 0) {
                            remaining -= n;
                        }
                        return n;
                    }
                    case SKIP -> {
                        while (remaining > 0) {
                            long skipped = raw.skip(remaining);
                            if (skipped <= 0) {
                                if (raw.read() < 0) {
                                    return -1;
                                }
                                skipped = 1;
                            }
                            remaining -= skipped;
                        }
                        mode = Mode.HEAD;
                    }
                    case HEAD -> {
                        if (!readHead()) {
                            return -1;
                        }
                    }
                }
            }
        }

        /** Reads one request head into {@link #pending} (rewritten if needed); false at end of stream. */
        private boolean readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0D0A0D0A && (last4 & 0xFFFF) != 0x0A0A) {
                int c = raw.read();
                if (c < 0) {
                    pending = head.toByteArray();
                    pendingPos = 0;
                    mode = Mode.PASS;
                    return pending.length > 0;
                }
                head.write(c);
                last4 = (last4 << 8) | c;
                if (head.size() > MAX_HEAD) {
                    pending = head.toByteArray();
                    pendingPos = 0;
                    mode = Mode.PASS;
                    return true;
                }
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            String[] lines = text.split("\r?\n", -1);
            String method = lines[0].split(" ", 2)[0];
            long length = 0;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                String l = lines[i].toLowerCase(Locale.ROOT);
                if (l.startsWith("content-length:")) {
                    try {
                        length = Long.parseLong(l.substring(15).trim());
                    } catch (NumberFormatException e) {
                        length = -1;
                    }
                } else if (l.startsWith("transfer-encoding:")) {
                    chunked = true;
                }
            }
            boolean bodyless = method.equals("GET") || method.equals("HEAD");
            if (bodyless && (chunked || length != 0)) {
                StringBuilder rewritten = new StringBuilder(lines[0]).append("\r\n");
                for (int i = 1; i < lines.length; i++) {
                    String l = lines[i].toLowerCase(Locale.ROOT);
                    if (!lines[i].isEmpty()
                            && !l.startsWith("content-length:")
                            && !l.startsWith("transfer-encoding:")) {
                        rewritten.append(lines[i]).append("\r\n");
                    }
                }
                rewritten.append(MARKER).append(": true\r\n\r\n");
                pending = rewritten.toString().getBytes(StandardCharsets.ISO_8859_1);
                pendingPos = 0;
                if (chunked || length < 0) {
                    // an untracked body: answer this request, then end the connection
                    mode = Mode.END;
                } else {
                    mode = Mode.SKIP;
                    remaining = length;
                }
                return true;
            }
            pending = head.toByteArray();
            pendingPos = 0;
            if (chunked || length < 0) {
                mode = Mode.PASS;
            } else {
                mode = Mode.BODY;
                remaining = length;
            }
            return true;
        }
    }
}
