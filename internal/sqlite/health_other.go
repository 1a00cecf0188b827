//go:build !linux && !darwin && !freebsd

package sqlite

import "errors"

// roomMeasured says that diskRoom cannot measure the disk on this system
// (Windows, the other BSDs): Ready then checks the writes and the size cap
// only, and the probe says that the room is not measured.
const roomMeasured = false

// diskRoom does not measure the disk on this system.
func diskRoom(string) (int64, bool, error) { return 0, false, errors.ErrUnsupported }
