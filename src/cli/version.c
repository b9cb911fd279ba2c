// SPDX-License-Identifier: MIT
/* Which irqsim this is (cli/version.h). */
#include "cli/version.h"

/* build/generated/, written by cmake/version.cmake at every build */
#include "irqsim_version.h"

const char *irqsim_version(void)
{
	return IRQSIM_VERSION_STRING;
}
