// SPDX-License-Identifier: MIT
/*
 * Linked with every object of one layer's library and only the layers
 * below it (CMakeLists.txt, irqsim_layer): a call from a layer up into a
 * layer above it is an undefined reference here, and the build fails.
 */
int main(void)
{
	return 0;
}
