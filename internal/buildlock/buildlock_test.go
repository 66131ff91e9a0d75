package buildlock

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestAcquire(t *testing.T) {
	dir := t.TempDir()
	release, err := Acquire(dir, "jingjian build")
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to open files: a second open, as a second process makes, is refused.
	_, err = Acquire(dir, "jingjian serve")
	if !errors.Is(err, ErrHeld) || !strings.Contains(err.Error(), "jingjian build") {
		t.Fatalf("second acquire: %v, want ErrHeld naming the holder", err)
	}
	release()
	release2, err := Acquire(dir, "jingjian serve")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	release2()
}

// TestLockEndsWithProcess: a killed build leaves no lock behind.
func TestLockEndsWithProcess(t *testing.T) {
	if os.Getenv("BUILDLOCK_CHILD") != "" {
		if _, err := Acquire(os.Getenv("BUILDLOCK_CHILD"), "child"); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("locked\n")
		select {} // until killed
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=TestLockEndsWithProcess")
	cmd.Env = append(os.Environ(), "BUILDLOCK_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := out.Read(buf); err != nil || string(buf) != "locked\n" {
		t.Fatalf("child: %q %v", buf, err)
	}
	if _, err := Acquire(dir, "parent"); !errors.Is(err, ErrHeld) {
		t.Errorf("while the child holds it: %v", err)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	release, err := Acquire(dir, "parent")
	if err != nil {
		t.Fatalf("after kill -9: %v", err)
	}
	release()
}
