package io.servinglayer.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the annotated Spring test class a real Redis server and a key prefix of its own:
 * {@code spring.data.redis.host/port} and {@code servinglayer.redis.key-prefix}. The
 * server comes from {@code SERVINGLAYER_TEST_REDIS_URL} when set, from Testcontainers
 * when a Docker engine answers, and from an embedded server otherwise (see
 * {@link TestRedis}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithRedis {

}
