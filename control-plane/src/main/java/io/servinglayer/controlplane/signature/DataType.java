package io.servinglayer.controlplane.signature;

/**
 * Element types of tensors and features, named as in the Open Inference Protocol so that
 * the registry, feature views and the inference API speak one vocabulary.
 */
public enum DataType {

	BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, BF16, FP32, FP64, BYTES

}
