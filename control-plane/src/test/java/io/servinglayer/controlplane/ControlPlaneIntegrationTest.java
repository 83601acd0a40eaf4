package io.servinglayer.controlplane;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.servinglayer.testsupport.WithPostgres;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole control plane on a random port, against a PostgreSQL database of the test class's own,
 * with an {@link AdminApi} client to inject.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@WithPostgres
@Import(AdminApi.class)
public @interface ControlPlaneIntegrationTest {

}
