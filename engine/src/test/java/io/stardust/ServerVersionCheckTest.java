package io.stardust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stardust.engine.schema.SchemaBootstrapper;
import io.stardust.engine.schema.ServerVersionCheck;
import io.stardust.kit.MySqlExtension;
import io.stardust.kit.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class ServerVersionCheckTest {

    @Test
    void refusesMariaDbAndMySqlBefore8013() {
        assertThatThrownBy(() -> ServerVersionCheck.check("10.11.6-MariaDB", "mariadb.org binary distribution"))
                .isInstanceOf(UnsupportedServerException.class).hasMessageContaining("MariaDB");
        assertThatThrownBy(() -> ServerVersionCheck.check("5.5.5-10.6.12-MariaDB-log", "Source distribution"))
                .isInstanceOf(UnsupportedServerException.class).hasMessageContaining("MariaDB");
        assertThatThrownBy(() -> ServerVersionCheck.check("8.0.12", "MySQL Community Server - GPL"))
                .isInstanceOf(UnsupportedServerException.class).hasMessageContaining("8.0.13");
        assertThatThrownBy(() -> ServerVersionCheck.check("5.7.44-log", "MySQL Community Server (GPL)"))
                .isInstanceOf(UnsupportedServerException.class);
        assertThatCode(() -> ServerVersionCheck.check("8.0.13", "MySQL")).doesNotThrowAnyException();
        assertThatCode(() -> ServerVersionCheck.check("8.4.2", "MySQL")).doesNotThrowAnyException();
        assertThatCode(() -> ServerVersionCheck.check("9.1.0", "MySQL")).doesNotThrowAnyException();
    }

    /** The real server answers everything, except that VERSION() claims to be another server. */
    @Test
    void bootstrapRefusesBeforeTouchingAnything(TestDatabase db) throws Exception {
        db.reset();
        for (String fake : List.of("10.11.6-MariaDB", "8.0.12")) {
            List<String> executed = new ArrayList<>();
            try (Connection real = db.server().connect(db.name())) {
                Connection lying = lyingAboutVersion(real, fake, executed);
                assertThatThrownBy(() -> new SchemaBootstrapper().bootstrap(lying)).isInstanceOf(UnsupportedServerException.class);
            }
            assertThat(executed).as("statements run before the refusal").isEmpty();
            try (Connection c = db.server().connect(db.name()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    private static Connection lyingAboutVersion(Connection real, String version, List<String> executed) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createStatement")) {
                        Statement realStatement = real.createStatement();
                        return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                                (p2, m2, a2) -> {
                                    if (m2.getName().equals("executeQuery") && ((String) a2[0]).startsWith("SELECT VERSION()")) {
                                        return realStatement.executeQuery("SELECT '" + version + "', 'fake'");
                                    }
                                    if (m2.getName().startsWith("execute")) {
                                        executed.add((String) a2[0]);
                                    }
                                    return invoke(realStatement, m2, a2);
                                });
                    }
                    if (method.getName().startsWith("prepare")) {
                        executed.add((String) args[0]);
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
