/* SPDX-License-Identifier: MIT */
/* Which irqsim this is: irqsim --version, saved runs, reports. */
#ifndef IRQSIM_CLI_VERSION_H
#define IRQSIM_CLI_VERSION_H

/**
 * irqsim_version - "irqsim 0.1.0 (git DESCRIBE)", or "irqsim 0.1.0" for a
 * build of a tree without git: the project's version and git describe
 * of the tree at build time (cmake/version.cmake)
 */
const char *irqsim_version(void);

#endif
