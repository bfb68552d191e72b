package io.stardust.daemon.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResolvedConfigTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:mysql://u:p4ss@h:3306/db | jdbc:mysql://u:****@h:3306/db",
            "jdbc:mysql://h:3306/db?user=u&password=p4ss&useSSL=true | jdbc:mysql://h:3306/db?user=u&password=****&useSSL=true",
            "jdbc:mysql://h/db?PASSWORD=p4ss | jdbc:mysql://h/db?PASSWORD=****",
            "jdbc:mysql://h/db;pwd=p4ss | jdbc:mysql://h/db;pwd=****",
            "jdbc:mysql://u@h/db | jdbc:mysql://u@h/db",
            "jdbc:mysql://h:3306/db?useSSL=false | jdbc:mysql://h:3306/db?useSSL=false",
            "127.0.0.1:9092 | 127.0.0.1:9092"})
    void credentialsInsideAValueAreMaskedAndEverythingElseIsKept(String value, String masked) {
        assertThat(ResolvedConfig.maskCredentials(value)).isEqualTo(masked);
    }
}
