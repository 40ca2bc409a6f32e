/*
 * The RAM file system through the C library: open's flags, reads and
 * writes at offsets, holes, stat, unlink of an open file, rename's and
 * rmdir's rules, directories listed, stdio on files, tmpfile(), and
 * threads on several vCPUs writing files and appending to one at once.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <minios/test.h>

#define EXPECT_ERR(call, err)                                                                      \
    do {                                                                                           \
        errno = 0;                                                                                 \
        long r_ = (long)(call);                                                                    \
        CHECK(r_ == -1 && errno == (err), "%s: %ld, errno %d (want %d)", #call, r_, errno, err);   \
    } while (0)

static void put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    CHECK(fd >= 0, "open(%s) for writing: errno %d", path, errno);
    if (fd >= 0) {
        CHECK(write(fd, text, strlen(text)) == (int)strlen(text), "write %s", path);
        close(fd);
    }
}

/* The whole of @path as a string (at most 255 bytes), "" if it cannot be read. */
static const char *get(const char *path)
{
    static char buf[256];
    int fd = open(path, O_RDONLY), n;

    buf[0] = '\0';
    if (fd < 0)
        return buf;
    n = read(fd, buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    close(fd);
    return buf;
}

TEST_DEFINE(test_file_open_flags, "open: O_CREAT, O_EXCL, O_TRUNC, O_APPEND, access modes")
{
    int fd, fd2;
    char c;

    mkdir("/t1", 0755);
    EXPECT_ERR(open("/t1/a", O_RDONLY), ENOENT);
    fd = open("/t1/a", O_RDWR | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 3, "O_CREAT|O_EXCL: %d, errno %d", fd, errno);
    EXPECT_ERR(open("/t1/a", O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
    CHECK(write(fd, "hello", 5) == 5, "write");
    close(fd);
    CHECK(strcmp(get("/t1/a"), "hello") == 0, "contents \"%s\"", get("/t1/a"));
    fd = open("/t1/a", O_WRONLY | O_APPEND);
    fd2 = open("/t1/a", O_WRONLY);
    CHECK(write(fd2, "J", 1) == 1, "write at 0");
    CHECK(write(fd, "!", 1) == 1 && lseek(fd, 0, SEEK_CUR) == 6, "append: offset %ld",
          (long)lseek(fd, 0, SEEK_CUR));
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "?", 1) == 1, "append after a seek");
    CHECK(strcmp(get("/t1/a"), "Jello!?") == 0, "after appends: \"%s\"", get("/t1/a"));
    EXPECT_ERR(read(fd, &c, 1), EBADF); /* write-only */
    close(fd);
    close(fd2);
    fd = open("/t1/a", O_RDONLY);
    EXPECT_ERR(write(fd, "x", 1), EBADF);
    close(fd);
    fd = open("/t1/a", O_RDWR | O_TRUNC);
    CHECK(fd >= 0 && lseek(fd, 0, SEEK_END) == 0, "O_TRUNC left bytes");
    close(fd);
    EXPECT_ERR(open("/t1", O_WRONLY), EISDIR);
    EXPECT_ERR(open("/t1/a", O_RDONLY | O_DIRECTORY), ENOTDIR);
    EXPECT_ERR(open("/t1/a/b", O_RDONLY), ENOTDIR);
    EXPECT_ERR(open("/t1/a/", O_RDONLY), ENOTDIR);
    EXPECT_ERR(open("/t1/new/", O_WRONLY | O_CREAT, 0644), EISDIR);
    EXPECT_ERR(open("/t1/a", 3), EINVAL);
    EXPECT_ERR(open("", O_RDONLY), ENOENT);
    fd = creat("t1/b", 0644); /* relative: from the root */
    CHECK(fd >= 0 && write(fd, "b", 1) == 1, "creat");
    close(fd);
    CHECK(strcmp(get("/t1/b"), "b") == 0, "creat's file");
}

TEST_DEFINE(test_file_offsets, "read/write/lseek/pread/pwrite, holes as zeros, ftruncate, fstat")
{
    int fd = open("/off", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[16] = {1};
    struct stat st;

    CHECK(fd >= 0, "open: errno %d", errno);
    CHECK(pwrite(fd, "xyz", 3, 10) == 3, "pwrite past the end");
    CHECK(lseek(fd, 0, SEEK_CUR) == 0, "pwrite moved the offset");
    CHECK(read(fd, buf, sizeof(buf)) == 13, "read of 13 bytes");
    CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0\0\0xyz", 13) == 0, "the hole is not zeros");
    CHECK(read(fd, buf, 4) == 0, "read at the end is not 0");
    CHECK(pread(fd, buf, 2, 11) == 2 && memcmp(buf, "yz", 2) == 0, "pread");
    CHECK(pread(fd, buf, 2, 100) == 0, "pread past the end");
    EXPECT_ERR(pread(fd, buf, 2, -1), EINVAL);
    CHECK(lseek(fd, -2, SEEK_END) == 11, "SEEK_END");
    EXPECT_ERR(lseek(fd, -100, SEEK_CUR), EINVAL);
    EXPECT_ERR(lseek(fd, 0, 42), EINVAL);
    CHECK(lseek(fd, 1000, SEEK_SET) == 1000, "seek past the end");
    CHECK(fstat(fd, &st) == 0 && st.st_size == 13 && S_ISREG(st.st_mode), "fstat: size %ld",
          (long)st.st_size);
    CHECK((st.st_mode & 0777) == 0644, "mode %#o", (unsigned)st.st_mode);
    CHECK(ftruncate(fd, 4) == 0 && fstat(fd, &st) == 0 && st.st_size == 4, "ftruncate to 4");
    CHECK(ftruncate(fd, 8) == 0 && pread(fd, buf, 8, 0) == 8 && memcmp(buf + 4, "\0\0\0\0", 4) == 0,
          "ftruncate up reads zeros");
    EXPECT_ERR(ftruncate(fd, -1), EINVAL);
    CHECK(stat("/off", &st) == 0 && st.st_size == 8 && st.st_nlink == 1, "stat");
    CHECK(truncate("/off", 0) == 0 && stat("/off", &st) == 0 && st.st_size == 0, "truncate");
    CHECK(access("/off", R_OK | W_OK) == 0, "access");
    EXPECT_ERR(access("/nope", F_OK), ENOENT);
    CHECK(fsync(fd) == 0, "fsync");
    close(fd);
    unlink("/off");
}

TEST_DEFINE(test_file_big, "a 3 MiB file written in odd pieces reads back byte for byte")
{
    int fd = open("/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    static unsigned char chunk[4099], back[4099];
    long total = 0, bad = 0;

    CHECK(fd >= 0, "open: errno %d", errno);
    for (int i = 0; i < 768; i++) {
        for (size_t j = 0; j < sizeof(chunk); j++)
            chunk[j] = (unsigned char)(i * 7 + j);
        total += write(fd, chunk, sizeof(chunk));
    }
    CHECK(total == 768L * 4099, "wrote %ld", total);
    lseek(fd, 0, SEEK_SET);
    for (int i = 0; i < 768; i++) {
        if (read(fd, back, sizeof(back)) != (int)sizeof(back)) {
            bad++;
            continue;
        }
        for (size_t j = 0; j < sizeof(back); j++)
            bad += back[j] != (unsigned char)(i * 7 + j);
    }
    CHECK(bad == 0, "%ld bytes differ", bad);
    close(fd);
    CHECK(unlink("/big") == 0, "unlink");
}

TEST_DEFINE(test_file_unlink_open, "an unlinked file lives on while open; link gives a second name")
{
    int fd = open("/u", O_RDWR | O_CREAT | O_TRUNC, 0644);
    struct stat st;
    char buf[8] = "";

    CHECK(write(fd, "alive", 5) == 5, "write");
    CHECK(link("/u", "/u2") == 0 && stat("/u", &st) == 0 && st.st_nlink == 2, "link: nlink %d",
          (int)st.st_nlink);
    CHECK(unlink("/u") == 0 && unlink("/u2") == 0, "unlink both names");
    EXPECT_ERR(stat("/u", &st), ENOENT);
    CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "alive", 5) == 0, "the data after unlink");
    CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0, "nlink %d", (int)st.st_nlink);
    close(fd);
    EXPECT_ERR(unlink("/u"), ENOENT);
    EXPECT_ERR(link("/tmp", "/tmp2"), EPERM);
}

TEST_DEFINE(test_file_dirs, "mkdir, rmdir (ENOTEMPTY, ENOTDIR, EBUSY), rename's rules, readdir")
{
    DIR *d;
    struct dirent *e;
    char seen[128] = "";

    CHECK(mkdir("/d", 0755) == 0, "mkdir: errno %d", errno);
    EXPECT_ERR(mkdir("/d", 0755), EEXIST);
    EXPECT_ERR(mkdir("/nope/x", 0755), ENOENT);
    CHECK(mkdir("/d/sub/", 0755) == 0, "mkdir with a trailing slash");
    put("/d/f1", "one");
    put("/d/f2", "two");
    EXPECT_ERR(rmdir("/d"), ENOTEMPTY);
    EXPECT_ERR(rmdir("/d/f1"), ENOTDIR);
    EXPECT_ERR(rmdir("/"), EBUSY);
    EXPECT_ERR(rmdir("/d/."), EINVAL);
    EXPECT_ERR(unlink("/d/sub"), EISDIR);
    d = opendir("/d");
    CHECK(d != NULL, "opendir: errno %d", errno);
    while (d && (e = readdir(d))) {
        strcat(seen, e->d_name);
        strcat(seen, e->d_type == DT_DIR ? "/ " : " ");
    }
    if (d)
        closedir(d);
    CHECK(strcmp(seen, "./ ../ sub/ f1 f2 ") == 0, "readdir: \"%s\"", seen);
    /* rename: over a file, into a directory, and what is refused */
    CHECK(rename("/d/f1", "/d/f2") == 0, "rename over a file: errno %d", errno);
    CHECK(strcmp(get("/d/f2"), "one") == 0 && access("/d/f1", F_OK) == -1, "after rename");
    CHECK(rename("/d/f2", "/d/sub/f3") == 0 && strcmp(get("/d/sub/f3"), "one") == 0, "into sub");
    EXPECT_ERR(rename("/d/sub", "/d/sub/deeper"), EINVAL);
    put("/d/g", "g");
    EXPECT_ERR(rename("/d/sub", "/d/g"), ENOTDIR);
    EXPECT_ERR(rename("/d/g", "/d/sub"), EISDIR);
    mkdir("/d/empty", 0755);
    EXPECT_ERR(rename("/d/empty", "/d/sub"), ENOTEMPTY);
    CHECK(rename("/d/sub", "/d/empty") == 0, "a directory over an empty one: errno %d", errno);
    CHECK(strcmp(get("/d/empty/f3"), "one") == 0, "its file followed it");
    CHECK(rename("/d/g", "/d/g") == 0, "rename to itself");
    EXPECT_ERR(rename("/d/none", "/d/x"), ENOENT);
    CHECK(unlink("/d/empty/f3") == 0 && rmdir("/d/empty") == 0 && unlink("/d/g") == 0 &&
              rmdir("/d") == 0,
          "cleaning up: errno %d", errno);
    EXPECT_ERR(stat("/d", &(struct stat){0}), ENOENT);
}

TEST_DEFINE(test_file_names, "paths: . and .., repeated slashes, 255-byte names, ENAMETOOLONG")
{
    char name[300], path[320];
    struct stat st;

    CHECK(mkdir("/n", 0755) == 0, "mkdir");
    put("//n/./x", "x");
    CHECK(strcmp(get("/n/../n//x"), "x") == 0, "/n/../n//x");
    CHECK(stat("/../../n/x", &st) == 0, ".. of the root is the root");
    memset(name, 'a', 255);
    name[255] = '\0';
    snprintf(path, sizeof(path), "/n/%s", name);
    put(path, "long");
    CHECK(strcmp(get(path), "long") == 0, "a 255-byte name");
    CHECK(unlink(path) == 0, "unlink it");
    strcat(path, "b");
    EXPECT_ERR(open(path, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
    CHECK(unlink("/n/x") == 0 && rmdir("/n") == 0, "clean up");
}

TEST_DEFINE(test_file_stdio, "fopen/fprintf/fgets/fseek/ftell, remove, tmpfile, tmpnam's /tmp")
{
    FILE *f = fopen("/s.txt", "w");
    char line[64];
    FILE *t;
    long n = 0;

    CHECK(f != NULL, "fopen w: errno %d", errno);
    if (!f)
        return;
    for (int i = 0; i < 100; i++)
        fprintf(f, "line %d\n", i);
    CHECK(fclose(f) == 0, "fclose");
    f = fopen("/s.txt", "r+");
    while (f && fgets(line, sizeof(line), f))
        n++;
    CHECK(n == 100, "%ld lines read", n);
    CHECK(fseek(f, 5, SEEK_SET) == 0 && fgets(line, sizeof(line), f) && strcmp(line, "0\n") == 0,
          "fseek + fgets: \"%s\"", line);
    CHECK(ftell(f) == 7, "ftell %ld", ftell(f));
    fclose(f);
    f = fopen("/s.txt", "a");
    fputs("tail\n", f);
    fclose(f);
    f = fopen("/s.txt", "r");
    fseek(f, -5, SEEK_END);
    CHECK(fgets(line, sizeof(line), f) && strcmp(line, "tail\n") == 0, "append mode: \"%s\"", line);
    fclose(f);
    CHECK(remove("/s.txt") == 0, "remove: errno %d", errno);
    CHECK(fopen("/s.txt", "r") == NULL && errno == ENOENT, "fopen r of a removed file");
    t = tmpfile();
    CHECK(t != NULL, "tmpfile: errno %d", errno);
    if (t) {
        fputs("scratch", t);
        rewind(t);
        CHECK(fgets(line, sizeof(line), t) && strcmp(line, "scratch") == 0, "tmpfile reads back");
        fclose(t);
    }
    CHECK(strncmp(tmpnam(line), "/tmp/", 5) == 0, "tmpnam: %s", line);
}

#define WRITERS 4
#define LINES   500

static void *writer(void *arg)
{
    long id = (long)arg, bad = 0;
    char path[32], line[32];
    int own, shared = open("/shared.log", O_WRONLY | O_APPEND);

    snprintf(path, sizeof(path), "/w%ld", id);
    own = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    for (int i = 0; i < LINES; i++) {
        int n = snprintf(line, sizeof(line), "%ld:%04d\n", id, i);

        bad += write(own, line, (size_t)n) != n;
        bad += write(shared, line, (size_t)n) != n;
        if ((i & 31) == 0)
            sched_yield();
    }
    bad += lseek(own, 0, SEEK_END) != (off_t)LINES * 7;
    close(own);
    close(shared);
    return (void *)bad;
}

TEST_DEFINE(test_file_threads, "4 threads on 2+ vCPUs: own files and O_APPEND to one, nothing lost",
            .min_cpus = 2)
{
    pthread_t t[WRITERS];
    long bad = 0, count[WRITERS] = {0}, lines = 0;
    char line[32];
    void *r;
    FILE *f;

    close(open("/shared.log", O_WRONLY | O_CREAT | O_TRUNC, 0644));
    for (long i = 0; i < WRITERS; i++)
        CHECK(pthread_create(&t[i], NULL, writer, (void *)i) == 0, "pthread_create");
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(t[i], &r);
        bad += (long)r;
    }
    CHECK(bad == 0, "%ld writes failed", bad);
    f = fopen("/shared.log", "r");
    while (f && fgets(line, sizeof(line), f)) {
        int id, n;

        /* Each writer's lines whole and in its order: appends never overlap. */
        if (sscanf(line, "%d:%d", &id, &n) == 2 && id >= 0 && id < WRITERS && n == count[id])
            count[id]++;
        lines++;
    }
    if (f)
        fclose(f);
    CHECK(lines == WRITERS * LINES, "%ld lines in the shared file", lines);
    for (int i = 0; i < WRITERS; i++) {
        char path[32];

        CHECK(count[i] == LINES, "writer %d: %ld lines in order", i, count[i]);
        snprintf(path, sizeof(path), "/w%d", i);
        unlink(path);
    }
    unlink("/shared.log");
}

TEST_DEFINE(test_initial_files, "APP_FILES: the shipped tree is there before main, byte for byte")
{
    static unsigned char buf[6000];
    struct stat st;
    long bad = 0;
    int fd, n;

    CHECK(strcmp(get("/hello.txt"), "shipped in the image\n") == 0, "/hello.txt: \"%s\"",
          get("/hello.txt"));
    CHECK(strcmp(get("/etc/with space.txt"), "a name with spaces\n") == 0, "a name with a space");
    CHECK(stat("/etc/empty", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0, "/etc/empty");
    CHECK(stat("/etc/deep/er", &st) == 0 && S_ISDIR(st.st_mode), "/etc/deep/er is a directory");
    fd = open("/etc/deep/er/bytes.bin", O_RDONLY);
    n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
    CHECK(n == 5000, "bytes.bin: %d bytes", n);
    for (int i = 0; i < n; i++)
        bad += buf[i] != (unsigned char)((i * 31 + 7) % 256);
    CHECK(bad == 0, "%ld bytes differ", bad);
    if (fd >= 0)
        close(fd);
    /* They are ordinary files: writable, removable. */
    put("/hello.txt", "changed");
    CHECK(strcmp(get("/hello.txt"), "changed") == 0, "rewriting a shipped file");
}
