package io.stardust;

import static io.stardust.filter.Filters.leaf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.engine.read.EntryReader;
import io.stardust.engine.read.SnapshotCache;
import io.stardust.engine.search.MySqlSearchDriver;
import io.stardust.filter.JsonFilterDecoder;
import io.stardust.filter.Operators;
import io.stardust.filter.ValidationErrorCode;
import io.stardust.kit.EventCapture;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An injected search driver serves read, search and get; pre-flight still uses MySQL's registry. */
@ExtendWith(MySqlExtension.class)
class SearchDriverInjectionTest {
    private final TestDatabase db;
    private EngineFixture fx;
    private ModelDefinition m;

    SearchDriverInjectionTest(TestDatabase db) {
        this.db = db;
    }

    /** An "eventual" driver without prefix that answers from MySQL and remembers what it was asked. */
    static final class StubDriver implements EntrySearchDriver {
        final EntrySearchDriver delegate;
        final List<SearchRequest> lists = new CopyOnWriteArrayList<>();
        final List<Long> gets = new CopyOnWriteArrayList<>();

        StubDriver(EntrySearchDriver delegate) {
            this.delegate = delegate;
        }

        @Override
        public EntryPage list(SearchRequest request) {
            lists.add(request);
            return delegate.list(request);
        }

        @Override
        public Optional<Entry> get(long tenantId, long entryId) {
            gets.add(entryId);
            return delegate.get(tenantId, entryId);
        }

        @Override
        public List<String> supportedOperators() {
            return Operators.LEAF_OPERATORS.stream().filter(op -> !op.equals(Operators.PREFIX)).toList();
        }

        @Override
        public boolean supportsFilterOn(long fieldId) {
            return delegate.supportsFilterOn(fieldId);
        }

        @Override
        public boolean supportsFuzzySearch() {
            return true;
        }

        @Override
        public Consistency consistencyModel() {
            return Consistency.EVENTUAL;
        }
    }

    @BeforeEach
    void setUp() {
        fx = EngineFixture.fresh(db);
        m = fx.modelWithSlots(1, "doc", new FieldSpec("title", DeclaredType.STRING, true),
                new FieldSpec("body", DeclaredType.STRING, false));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private StubDriver stub() {
        return new StubDriver(new MySqlSearchDriver(fx.ds, new SnapshotCache(fx.ds, Clock.systemUTC()), new EntryReader(fx.ds)));
    }

    private StarDust engineWith(EntrySearchDriver driver) {
        return StarDust.create(fx.ds, StarDustConfig.of(db.jdbcUrl(), db.user(), db.password()), Clock.systemUTC(), driver);
    }

    @Test
    void readSearchAndGetRouteToTheInjectedDriver() {
        StubDriver driver = stub();
        StarDust engine = engineWith(driver);
        long id = engine.write(EntryPayload.of(1, m.modelId(), Map.of("title", "hello"))).entryId();
        assertThat(engine.searchDriver()).isSameAs(driver);
        assertThat(engine.searchDriver().consistencyModel().wireName()).isEqualTo("eventual");
        assertThat(engine.searchDriver().supportsFuzzySearch()).isTrue();
        try (EventCapture events = EventCapture.open()) {
            assertThat(engine.read(EntryQuery.all(1, m.modelId()).withFilter(leaf("title", "eq", "hello"))).rows())
                    .extracting(Entry::id).containsExactly(id);
            engine.search(new SearchRequest(EntryQuery.all(1, m.modelId()), "given"));
            assertThat(engine.get(1, id)).isPresent();
            assertThat(driver.lists).hasSize(2);
            assertThat(driver.lists.get(0).correlationId()).as("allocated before the driver runs").hasSize(36);
            assertThat(driver.lists.get(1).correlationId()).isEqualTo("given");
            assertThat(driver.gets).containsExactly(id);
            assertThat(events.named("search_request")).extracting(e -> e.get("compile_strategy"))
                    .containsExactly("driver_specific", "driver_specific");
        }
    }

    @Test
    void anOperatorTheDriverLacksIsCapabilityUnsupported() {
        StubDriver driver = stub();
        StarDust engine = engineWith(driver);
        var filter = new JsonFilterDecoder().decode("{\"filter\":{\"op\":\"not\",\"arg\":"
                + "{\"op\":\"prefix\",\"field\":{\"model\":\"doc\",\"name\":\"title\"},\"value\":\"he\"}}}");
        try (EventCapture events = EventCapture.open()) {
            assertThatThrownBy(() -> engine.read(EntryQuery.all(1, m.modelId()).withFilter(filter)))
                    .isInstanceOfSatisfying(QueryFilterValidationException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ValidationErrorCode.CAPABILITY_UNSUPPORTED);
                        assertThat(e.jsonPointer()).isEqualTo("/filter/arg/op");
                        assertThat(e.details()).containsEntry("operator", "prefix").containsEntry("field_name", "title")
                                .containsEntry("driver_class", StubDriver.class.getName());
                    });
            assertThat(events.named("capability_unsupported").get(0).fields()).containsEntry("operator", "prefix")
                    .containsEntry("field_name", "title").containsEntry("driver_class", StubDriver.class.getName());
        }
        assertThat(driver.lists).as("the driver is never asked").isEmpty();
    }

    @Test
    void preFlightStillUsesMySqlsRegistry() {
        StubDriver driver = stub();
        StarDust engine = engineWith(driver);
        assertThatThrownBy(() -> engine.read(EntryQuery.all(1, m.modelId()).withFilter(leaf("nope", "eq", "x"))))
                .isInstanceOf(UnknownFieldException.class);
        assertThatThrownBy(() -> engine.read(EntryQuery.all(1, m.modelId()).withFilter(leaf("body", "eq", "x"))))
                .isInstanceOf(FieldNotFilterableException.class);
        assertThatThrownBy(() -> engine.read(EntryQuery.all(1, m.modelId()).withFilter(leaf("title", "eq", 1))))
                .isInstanceOfSatisfying(QueryFilterValidationException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ValidationErrorCode.VALUE_TYPE_MISMATCH));
        assertThat(driver.lists).isEmpty();
    }

    @Test
    void theNativeDriverAnswersSupportsFilterOnFromTheRegistry() {
        EntrySearchDriver nativeDriver = fx.engine.searchDriver();
        assertThat(nativeDriver).isInstanceOf(MySqlSearchDriver.class);
        assertThat(nativeDriver.consistencyModel()).isEqualTo(EntrySearchDriver.Consistency.STRONG);
        assertThat(nativeDriver.supportsFuzzySearch()).isFalse();
        assertThat(nativeDriver.supportsFilterOn(m.fieldId("title"))).isTrue();
        assertThat(nativeDriver.supportsFilterOn(m.fieldId("body"))).isFalse();
        assertThat(nativeDriver.supportsFilterOn(999_999)).isFalse();
        fx.exec("UPDATE stardust_slot_assignments SET status = 'backfilling' WHERE field_id = " + m.fieldId("title"));
        assertThat(nativeDriver.supportsFilterOn(m.fieldId("title"))).isFalse();
        fx.exec("UPDATE stardust_slot_assignments SET status = 'ready' WHERE field_id = " + m.fieldId("title"));
        assertThat(nativeDriver.supportsFilterOn(m.fieldId("title"))).isTrue();
    }
}
