package io.stardust.kit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The unpacked mysqld and an initialised template data directory, kept in a cache directory shared by every
 * JVM on the machine. Both are built under an exclusive file lock and published by an atomic rename, so
 * concurrent test runs and the demo never see half-extracted files.
 */
final class MySqlDistribution {
    static final String VERSION = "8.0.31";

    private MySqlDistribution() {
    }

    static Path ensureExtracted(Path cacheDir) {
        Path dist = cacheDir.resolve("mysql-" + VERSION);
        if (Files.isExecutable(dist.resolve("bin/mysqld"))) {
            return dist;
        }
        withCacheLock(cacheDir, () -> {
            if (Files.isExecutable(dist.resolve("bin/mysqld"))) {
                return;
            }
            Path staging = Files.createTempDirectory(cacheDir, "extract-");
            try (InputStream tarball = EmbeddedMySql.openTarball()) {
                Process tar = new ProcessBuilder("tar", "-xz", "-C", staging.toString())
                        .redirectErrorStream(true).start();
                try (OutputStream in = tar.getOutputStream()) {
                    tarball.transferTo(in);
                }
                String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (waitFor(tar) != 0) {
                    throw new IllegalStateException("tar failed extracting mysqld: " + output);
                }
            }
            Files.move(staging, dist);
        });
        return dist;
    }

    static Path ensureTemplate(Path cacheDir, Path dist, MySqlOptions options) {
        Path template = cacheDir.resolve("mysql-" + VERSION + "-template-redo" + (MySqlOptions.REDO_LOG_BYTES >> 20) + "m");
        if (Files.isDirectory(template.resolve("mysql"))) {
            return template;
        }
        withCacheLock(cacheDir, () -> {
            if (Files.isDirectory(template.resolve("mysql"))) {
                return;
            }
            Path staging = Files.createTempDirectory(cacheDir, "init-");
            Path data = staging.resolve("data");
            List<String> cmd = new ArrayList<>(List.of(dist.resolve("bin/mysqld").toString(), "--no-defaults",
                    "--initialize-insecure", "--basedir=" + dist, "--datadir=" + data,
                    "--lc-messages-dir=" + dist.resolve("share"),
                    "--innodb-redo-log-capacity=" + MySqlOptions.REDO_LOG_BYTES));
            if (runningAsRoot()) {
                cmd.add("--user=root");
            }
            Process init = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(staging.resolve("init.log").toFile()).start();
            if (waitFor(init) != 0) {
                throw new IllegalStateException("mysqld --initialize-insecure failed:\n" + ServerProcess.tail(staging.resolve("init.log")));
            }
            Files.move(data, template);
            FileTrees.deleteQuietly(staging);
        });
        return template;
    }

    /** mysqld links libaio and libnuma dynamically; say exactly what to install when they are missing. */
    static void checkSharedLibraries(Path mysqld) {
        try {
            checkWithLdd(mysqld);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run ldd on " + mysqld, e);
        }
    }

    private static void checkWithLdd(Path mysqld) throws IOException {
        Process ldd = new ProcessBuilder("ldd", mysqld.toString()).redirectErrorStream(true).start();
        String output = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        waitFor(ldd);
        List<String> missing = output.lines().filter(l -> l.contains("not found"))
                .map(l -> l.trim().split("\\s+")[0]).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("mysqld cannot run: missing shared libraries " + missing
                    + ". Install them with: apt-get install -y libaio1 libnuma1");
        }
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void withCacheLock(Path cacheDir, IoAction action) {
        try {
            Files.createDirectories(cacheDir);
            try (FileChannel channel = FileChannel.open(cacheDir.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                action.run();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare mysqld in " + cacheDir, e);
        }
    }

    private static int waitFor(Process p) {
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
