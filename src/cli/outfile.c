// SPDX-License-Identifier: MIT
/* Atomic output files: a temporary file beside the target, then rename. */
#include "cli/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void say(const char *path, int err)
{
	fprintf(stderr, "irqsim: cannot write %s: %s\n", path, strerror(err));
}

FILE *outfile_open(struct outfile *o, const char *path, bool binary)
{
	const char *slash, *target = path;
	int dirlen, fd, n;
	struct stat sb;
	mode_t mode;

	o->path = path;
	o->tmp[0] = 0;
	o->f = NULL;
	if (!*path) {
		say(path, ENOENT);
		return NULL;
	}
	/* through a symbolic link: replace the file it names, not the link */
	if (!lstat(path, &sb) && S_ISLNK(sb.st_mode) &&
	    realpath(path, o->real))
		target = o->real;
	/*
	 * A device, a pipe, a terminal: nothing to replace, write in place.
	 * So is /dev/stdout (or /proc/self/fd/N) when it is a file the
	 * shell opened: replacing it would lose what >> appends to.
	 */
	if ((!stat(target, &sb) && !S_ISREG(sb.st_mode)) ||
	    !strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6)) {
		if (S_ISDIR(sb.st_mode)) {
			say(path, EISDIR);
			return NULL;
		}
		o->f = fopen(path, binary ? "wb" : "w");
		if (!o->f)
			say(path, errno);
		return o->f;
	}
	/* a file that exists keeps its mode; a new one gets fopen()'s */
	if (!stat(target, &sb)) {
		mode = sb.st_mode & 07777;
	} else {
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	o->target = target;
	slash = strrchr(target, '/');
	dirlen = slash ? (int)(slash - target + 1) : 0;
	n = snprintf(o->tmp, sizeof(o->tmp), "%.*s.%s.XXXXXX", dirlen, target,
		     target + dirlen);
	if (n < 0 || (size_t)n >= sizeof(o->tmp)) {
		o->tmp[0] = 0;
		say(path, ENAMETOOLONG);
		return NULL;
	}
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		say(path, errno);
		o->tmp[0] = 0;
		return NULL;
	}
	/* mkstemp's mode is 0600 */
	if (fchmod(fd, mode) || !(o->f = fdopen(fd, binary ? "wb" : "w"))) {
		say(path, errno);
		close(fd);
		unlink(o->tmp);
		o->tmp[0] = 0;
		return NULL;
	}
	return o->f;
}

/*
 * The directory that holds @target, synced, so that a rename into it is
 * on the disk. Not every file system syncs a directory (EINVAL): then
 * the rename is as durable as that file system makes it.
 */
static int sync_dir(const char *target)
{
	const char *slash = strrchr(target, '/');
	char dir[4096];
	int fd, err = 0;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == target)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - target),
			 target);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return errno;
	if (fsync(fd) && errno != EINVAL)
		err = errno;
	close(fd);
	return err;
}

static int close_file(struct outfile *o, bool failed, bool durable)
{
	int err = 0;

	if (!o->f)
		return -1;
	errno = 0;
	if (fflush(o->f) || ferror(o->f))
		err = errno ? errno : EIO;
	/* a device or a pipe may not sync (EINVAL): nothing to make durable */
	if (!err && !failed && durable && fsync(fileno(o->f)) &&
	    errno != EINVAL)
		err = errno;
	if (fclose(o->f) && !err)
		err = errno ? errno : EIO;
	o->f = NULL;
	if (!err && !failed && o->tmp[0] && rename(o->tmp, o->target))
		err = errno;
	else if (!err && !failed && o->tmp[0] && durable)
		err = sync_dir(o->target);
	if (err && !failed)
		say(o->path, err);
	if ((err || failed) && o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = 0;
	return err || failed ? -1 : 0;
}

int outfile_close(struct outfile *o, bool failed)
{
	return close_file(o, failed, false);
}

int outfile_close_durable(struct outfile *o, bool failed)
{
	return close_file(o, failed, true);
}
