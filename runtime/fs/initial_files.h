/* The files an application ships in its image (minios-link --files; initial_files.c). */
#ifndef RUNTIME_FS_INITIAL_FILES_H
#define RUNTIME_FS_INITIAL_FILES_H

/*
 * Unpacks them into the RAM file system; before main().  A refused entry is
 * a crash.  Not hidden: minios-link's object of the files puts it in
 * .preinit_array, so only an image with files links it.
 */
void __minios_unpack_initial_files(void);

#endif /* RUNTIME_FS_INITIAL_FILES_H */
