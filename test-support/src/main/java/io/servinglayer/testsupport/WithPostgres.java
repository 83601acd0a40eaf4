package io.servinglayer.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the annotated Spring test class a database of its own on a real PostgreSQL server
 * and points {@code spring.datasource.*} at it. The server comes from
 * {@code SERVINGLAYER_TEST_POSTGRES_URL} when set, from Testcontainers when a Docker
 * engine answers, and from an embedded server otherwise (see {@link TestPostgres}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithPostgres {

}
