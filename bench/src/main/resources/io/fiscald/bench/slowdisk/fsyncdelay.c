/*
 * fiscald bench slow-disk: an LD_PRELOAD shim that makes every fsync and fdatasync of the process take
 * FISCALD_FSYNC_DELAY_MS longer (default 20), for kernels without device-mapper's delay target.
 * Build: gcc -shared -fPIC -O2 -o libfsyncdelay.so fsyncdelay.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long delay_ms(void) {
  const char *v = getenv("FISCALD_FSYNC_DELAY_MS");
  return v ? atol(v) : 20;
}

static void pause_for_disk(void) {
  long ms = delay_ms();
  struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep(&t, &t) != 0) {
  }
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int)) dlsym(RTLD_NEXT, "fsync");
  int r = real(fd);
  pause_for_disk();
  return r;
}

int fdatasync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int)) dlsym(RTLD_NEXT, "fdatasync");
  int r = real(fd);
  pause_for_disk();
  return r;
}
