package io.servinglayer.gateway.requests;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a client may send.
 *
 * @param maxBodySize the largest request body; larger ones are refused with 413 before
 * anything is forwarded (the gateway holds a body in memory to retry or shadow it)
 */
@ConfigurationProperties("servinglayer.gateway.requests")
public record RequestSettings(@DefaultValue("16MB") DataSize maxBodySize) {

}
