package run.getstack.sdk.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackInterruptedException;

/** The credentials file's rewrite order and its lock. */
class CredentialsFileTest {
    @TempDir
    Path home;

    private CredentialsFile seeded(String token) throws Exception {
        Path file = CredentialsFile.inHome(home);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"refresh_token\":\"" + token + "\",\"scope\":\"operator\"}");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return CredentialsFile.open(file);
    }

    @Test
    void theTemporaryFileIsForcedBeforeTheMoveAndTheDirectoryAfterIt() throws Exception {
        CredentialsFile f = seeded("srt_old");
        List<String> events = new CopyOnWriteArrayList<>();
        f.syncListener(what -> {
            try {
                events.add(what + " holding " + f.read().refreshToken().revealPlaintext());
            } catch (RuntimeException e) {
                events.add(what + " unreadable");
            }
        });

        f.locked(() -> {
            f.write(f.read(), Secret.of("srt_new"));
            return null;
        });

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).startsWith("file credentials.json.tmp-").endsWith(" holding srt_old");
        assertThat(events.get(1)).isEqualTo("dir .stack holding srt_new");
        assertThat(Files.readString(f.path())).contains("\"scope\":\"operator\"");
    }

    @Test
    void aCallerWaitingForTheLockIsStoppedByAnInterrupt() throws Exception {
        CredentialsFile f = seeded("srt_x");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread holder = new Thread(() -> f.locked(() -> {
            holding.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        holder.start();
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                f.locked(() -> "never");
            } catch (RuntimeException e) {
                failure.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        waiter.interrupt();
        waiter.join(30_000);
        done.countDown();
        holder.join(30_000);
        assertThat(failure.get()).isInstanceOf(StackInterruptedException.class);
        assertThat(flag.get()).isTrue();
        assertThat(f.locked(() -> "free again")).isEqualTo("free again");
    }

    // review: the JVM lock was keyed by the path as spelled, the OS lock by the file: two handles on one file
    // through a symlinked directory both reached FileChannel.lock, and the second got an unchecked
    // OverlappingFileLockException instead of waiting its turn
    @Test
    void twoSpellingsOfOneFileTakeTurnsInsteadOfFailing() throws Exception {
        CredentialsFile f = seeded("srt_x");
        Path alias;
        try {
            alias = Files.createSymbolicLink(home.resolveSibling(home.getFileName() + "-alias"), home);
        } catch (UnsupportedOperationException | java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links here: " + e);
            return;
        }
        try {
            CredentialsFile g = CredentialsFile.open(CredentialsFile.inHome(alias));
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            Thread holder = new Thread(() -> f.locked(() -> {
                holding.countDown();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            holder.start();
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    outcome.set(g.locked(() -> "second"));
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
            });
            waiter.start();
            while (waiter.isAlive() && waiter.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            done.countDown();
            holder.join(30_000);
            waiter.join(30_000);
            assertThat(outcome.get()).isEqualTo("second");
        } finally {
            Files.delete(alias);
        }
    }
}
