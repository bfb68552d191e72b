package io.stardust.cli;

import io.stardust.http.imports.FileImports.View;
import io.stardust.streams.StreamsAppConfig;
import io.stardust.streams.wire.RejectedLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * File imports for the CLI: the shared reader ({@link io.stardust.http.imports.FileImports}, also behind the HTTP
 * API's imports routes) over the topics named by the streams app's settings (the {@code --config} file of
 * {@code bin/stardust streams} and the environment).
 */
final class FileImports {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final StreamsAppConfig cfg;
    private final io.stardust.http.imports.FileImports reader;

    FileImports(Path configFile) {
        this.cfg = StreamsAppConfig.from(StreamsAppConfig.definition().resolve(configFile));
        this.reader = new io.stardust.http.imports.FileImports(new io.stardust.http.imports.FileImports.Topics(
                cfg.kafkaBootstrap(), cfg.progressTopic(), cfg.statusTopic(), cfg.rejectedTopic()), TIMEOUT);
    }

    StreamsAppConfig config() {
        return cfg;
    }

    /** Every import, in the order the reader first recorded them. */
    Map<String, View> all() {
        return reader.all();
    }

    /** The import whose id is {@code id} or starts with it (at least 8 characters); a usage error if none or several. */
    View find(String id) {
        try {
            return io.stardust.http.imports.FileImports.find(all().values(), id);
        } catch (io.stardust.http.imports.FileImports.NotFound e) {
            throw new UsageException(e.getMessage() + " (imports are listed by import:status without arguments)");
        }
    }

    /** The import's rejected lines in file-line order. */
    List<RejectedLine> rejected(String importId) {
        return reader.rejected(importId);
    }
}
