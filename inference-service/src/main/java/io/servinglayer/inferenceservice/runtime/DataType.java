package io.servinglayer.inferenceservice.runtime;

import ai.onnxruntime.OnnxJavaType;

/**
 * The element types the service serves, named as in the Open Inference Protocol, with the
 * ONNX Runtime type each maps to.
 */
public enum DataType {

	BOOL(OnnxJavaType.BOOL), INT32(OnnxJavaType.INT32), INT64(OnnxJavaType.INT64), FP32(OnnxJavaType.FLOAT),
	FP64(OnnxJavaType.DOUBLE), BYTES(OnnxJavaType.STRING);

	private final OnnxJavaType onnxType;

	DataType(OnnxJavaType onnxType) {
		this.onnxType = onnxType;
	}

	OnnxJavaType onnxType() {
		return this.onnxType;
	}

	/**
	 * The type for an ONNX Runtime type, or {@code null} when the service cannot serve
	 * it.
	 */
	static DataType of(OnnxJavaType onnxType) {
		for (DataType type : values()) {
			if (type.onnxType == onnxType) {
				return type;
			}
		}
		return null;
	}

	/** Parses a protocol name, or {@code null} for a name the service does not serve. */
	public static DataType parse(String name) {
		for (DataType type : values()) {
			if (type.name().equals(name)) {
				return type;
			}
		}
		return null;
	}

}
