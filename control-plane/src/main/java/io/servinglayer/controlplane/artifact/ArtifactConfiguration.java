package io.servinglayer.controlplane.artifact;

import jakarta.servlet.MultipartConfigElement;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

@Configuration(proxyBeanMethods = false)
class ArtifactConfiguration {

	/**
	 * Multipart limits follow the artifact limit, so an oversized upload is refused while
	 * it is being read instead of after it has been spooled whole. Parts over 1 MB go to
	 * disk, never to the heap.
	 */
	@Bean
	MultipartConfigElement multipartConfigElement(ArtifactProperties properties) {
		long maxFile = properties.maxSize().toBytes();
		long maxRequest = maxFile + DataSize.ofMegabytes(1).toBytes();
		return new MultipartConfigElement(properties.spoolDirectory().toString(), maxFile, maxRequest,
				(int) DataSize.ofMegabytes(1).toBytes());
	}

}
