/*
 * version.h - the version of vmlab, the one string every tool's --version
 * prints (vmlab, pg32-as, pg32-objdump).  Bumped here only.
 */
#ifndef VMLAB_VERSION_H
#define VMLAB_VERSION_H

#define VMLAB_VERSION "1.0"

#endif /* VMLAB_VERSION_H */
