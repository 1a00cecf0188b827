//go:build linux

package sqlite

import "syscall"

// roomMeasured says that diskRoom measures the disk on this system.
const roomMeasured = true

// diskRoom returns the bytes of the file system holding dir that this
// program may still use, and whether it is mounted read-only. The field
// types of Statfs_t differ between architectures, hence the conversions.
func diskRoom(dir string) (free int64, readOnly bool, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false, err
	}
	return int64(st.Bavail) * int64(st.Bsize), st.Flags&syscall.MS_RDONLY != 0, nil
}
