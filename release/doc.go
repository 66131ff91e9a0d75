// Package release publishes builds into numbered release folders and switches a
// "current" symlink between them, so a server pointed at DEST/current never sees a
// half-written site and a bad deploy is one rollback away.
//
// A deploy target DEST is laid out as
//
//	DEST/
//	  .deploy.lock              flock held while a deploy or rollback runs
//	  current -> releases/20261201-153012-2
//	  releases/
//	    20261201-150000/        a complete build
//	    20261201-153012/
//	    20261201-153012-2/      a second deploy within the same second
//	    .20261201-160000.partial/   a build still running, or left by a killed one
//
// Release names are the local time of the deploy, "20060102-150405", with "-2", "-3", …
// added when the name is taken. They order by time and then by number (so "-10" comes
// after "-9"), and a new release always orders after every existing one: if the clock
// stepped back (NTP, the autumn hour of daylight saving time), the new release takes the
// newest existing time with the next number. Rollback relies on that order.
//
// The current symlink's target is relative ("releases/NAME"), so DEST can be moved or
// mounted elsewhere. It is replaced by creating a new symlink beside it and renaming it
// over the old one, which POSIX makes atomic: every reader resolves either the old
// release or the new one, both complete.
//
// The package is for POSIX systems (Linux, macOS, the BSDs). It compiles everywhere, but
// on Windows symlinks need privileges and renaming over one is not atomic, and the lock
// is not taken.
package release
