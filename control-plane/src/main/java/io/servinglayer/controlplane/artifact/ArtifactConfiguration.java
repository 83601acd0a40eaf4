package io.servinglayer.controlplane.artifact;

import io.servinglayer.controlplane.system.StateProperties;
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
	MultipartConfigElement multipartConfigElement(ArtifactProperties properties, ArtifactSpool spool) {
		long maxFile = properties.maxSize().toBytes();
		long maxRequest = maxFile + DataSize.ofMegabytes(1).toBytes();
		return new MultipartConfigElement(spool.directory().toString(), maxFile, maxRequest,
				(int) DataSize.ofMegabytes(1).toBytes());
	}

	/** The spool folder, made private and emptied now, before any upload can arrive. */
	@Bean
	ArtifactSpool artifactSpool(ArtifactProperties properties, StateProperties state) {
		return ArtifactSpool.prepare((properties.spoolDirectory() != null) ? properties.spoolDirectory()
				: state.stateDirectory().resolve("artifact-spool"));
	}

}
