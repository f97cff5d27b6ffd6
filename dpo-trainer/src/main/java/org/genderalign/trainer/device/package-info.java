/**
 * Choosing where models run: {@link org.genderalign.trainer.device.Devices} parses
 * {@code --device} (auto, cpu, gpu, gpu:N) and {@code --dtype} (float32; bfloat16/float16 on GPU).
 */
package org.genderalign.trainer.device;
