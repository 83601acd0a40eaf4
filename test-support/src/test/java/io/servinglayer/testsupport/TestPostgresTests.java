package io.servinglayer.testsupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TestPostgresTests {

	@Test
	void readsAJdbcUrlWithCredentialsInTheQuery() {
		TestPostgres.Server server = TestPostgres.Server
			.parse("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=secret");
		assertThat(server.host()).isEqualTo("127.0.0.1");
		assertThat(server.port()).isEqualTo(5432);
		assertThat(server.username()).isEqualTo("postgres");
		assertThat(server.password()).isEqualTo("secret");
		assertThat(server.adminDatabase()).isEqualTo("postgres");
		assertThat(server.jdbcUrl("other")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/other");
	}

	@Test
	void readsAUriWithUserInfoAndDefaultsPortAndDatabase() {
		TestPostgres.Server server = TestPostgres.Server.parse("postgresql://admin:pw@db.local");
		assertThat(server.port()).isEqualTo(5432);
		assertThat(server.username()).isEqualTo("admin");
		assertThat(server.password()).isEqualTo("pw");
		assertThat(server.adminDatabase()).isEqualTo("postgres");
	}

	@Test
	void rejectsAnotherSchemeWithoutEchoingThePassword() {
		assertThatIllegalArgumentException().isThrownBy(() -> TestPostgres.Server.parse("mysql://u:hunter2@h/db"))
			.withMessageContaining("SERVINGLAYER_TEST_POSTGRES_URL")
			.withMessageNotContaining("hunter2");
	}

}
