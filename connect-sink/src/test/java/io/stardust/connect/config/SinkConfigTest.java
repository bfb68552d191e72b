package io.stardust.connect.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.stardust.connect.StarDustSinkConnector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class SinkConfigTest {
    private static Map<String, String> minimal() {
        Map<String, String> c = new HashMap<>();
        c.put("name", "sink");
        c.put("topics", "entries");
        c.put("stardust.dsn", "jdbc:mysql://127.0.0.1:3306/stardust");
        c.put("stardust.user", "stardust");
        c.put("stardust.password", "secret");
        return c;
    }

    private static Map<String, List<String>> errors(Map<String, String> config) {
        return new StarDustSinkConnector().validate(config).configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void theConnectionKeysAloneMakeAValidConfigurationAndMapToTheEngineConfig() {
        assertThat(errors(minimal())).isEmpty();
        SinkConfig cfg = new SinkConfig(minimal());
        assertThat(cfg.engine().dsn()).isEqualTo("jdbc:mysql://127.0.0.1:3306/stardust");
        assertThat(cfg.engine().password()).isEqualTo("secret");
        assertThat(cfg.engine().poolSize()).isEqualTo(10);
        assertThat(cfg.mapping().flat()).isFalse();
    }

    @Test
    void eachConnectionKeyIsRequiredAndThePasswordIsAPasswordType() {
        for (String key : List.of("stardust.dsn", "stardust.user", "stardust.password")) {
            Map<String, String> c = minimal();
            c.remove(key);
            assertThat(errors(c)).as(key).containsKey(key);
        }
        assertThat(SinkConfig.DEF.configKeys().get("stardust.password").type).isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void anEngineOptionIsValidatedByTheEnginesOwnValidatorUnderItsConnectorKey() {
        Map<String, String> c = minimal();
        c.put("stardust.pool.size", "0");
        assertThat(errors(c).get("stardust.pool.size")).singleElement().asString().contains("must be between 1 and 500");
        c.put("stardust.pool.size", "many");
        assertThat(errors(c).get("stardust.pool.size")).singleElement().asString().contains("Not a number");
    }

    @Test
    void flatMappingOptionsWithoutATenantFieldAreRefusedOnTheirKey() {
        Map<String, String> c = minimal();
        c.put("stardust.model", "company");
        assertThat(errors(c).get("stardust.model")).singleElement().asString().contains("needs stardust.tenant.field");
    }

    @Test
    void aTenantFieldWithoutAModelAndBothModelOptionsTogetherAreRefused() {
        Map<String, String> c = minimal();
        c.put("stardust.tenant.field", "tenant");
        assertThat(errors(c).get("stardust.tenant.field")).singleElement().asString().contains("need their model");
        c.put("stardust.model", "company");
        c.put("stardust.model.field", "type");
        assertThat(errors(c).get("stardust.model")).singleElement().asString().contains("not both");
    }

    @Test
    void aFieldMappedTwiceAndABackoffMinimumAboveTheMaximumAreRefused() {
        Map<String, String> c = minimal();
        c.put("stardust.tenant.field", "id");
        c.put("stardust.model", "company");
        c.put("stardust.key.field", "id");
        assertThat(errors(c).get("stardust.tenant.field")).singleElement().asString().contains("mapped twice");
        Map<String, String> b = minimal();
        b.put("stardust.retry.backoff.min.ms", "5000");
        b.put("stardust.retry.backoff.max.ms", "1000");
        assertThat(errors(b).get("stardust.retry.backoff.min.ms")).singleElement().asString().contains("must not exceed");
    }

    @Test
    void everyOptionHasAGroupAndDocumentation() {
        assertThat(SinkConfig.DEF.configKeys().values()).allSatisfy(k -> {
            assertThat(k.group).as(k.name).isNotBlank();
            assertThat(k.documentation).as(k.name).isNotBlank();
            assertThat(k.name).startsWith("stardust.");
        });
    }

    @Test
    void theConnectorAndItsTaskReportTheBuildsVersion() {
        assertThat(new StarDustSinkConnector().version()).matches("\\d+\\.\\d+\\.\\d+.*").doesNotContain("${");
        assertThat(new io.stardust.connect.StarDustSinkTask().version()).isEqualTo(new StarDustSinkConnector().version());
    }
}
