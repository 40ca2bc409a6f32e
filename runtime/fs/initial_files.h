/* The files an application ships in its image (minios-link --files; initial_files.c). */
#ifndef RUNTIME_FS_INITIAL_FILES_H
#define RUNTIME_FS_INITIAL_FILES_H

#pragma GCC visibility push(hidden)

/* Unpacks them into the RAM file system; before main().  A refused entry is a crash. */
void fs_unpack_initial_files(void);

#pragma GCC visibility pop

#endif /* RUNTIME_FS_INITIAL_FILES_H */
