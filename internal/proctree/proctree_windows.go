//go:build windows

package proctree

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"unsafe"
)

// On Windows the tree is a job object. The command is created suspended,
// put in the job, and only then resumed, so that every process it starts
// is in the job from the first: a child inherits its parent's job. The
// job kills what is left in it when its last handle is closed.
type sys struct {
	mu  sync.Mutex
	job syscall.Handle // 0 once closed, or if it could not be made
}

var (
	kernel32                      = syscall.NewLazyDLL("kernel32.dll")
	procCreateJobObjectW          = kernel32.NewProc("CreateJobObjectW")
	procSetInformationJobObject   = kernel32.NewProc("SetInformationJobObject")
	procAssignProcessToJobObject  = kernel32.NewProc("AssignProcessToJobObject")
	procTerminateJobObject        = kernel32.NewProc("TerminateJobObject")
	procQueryInformationJobObject = kernel32.NewProc("QueryInformationJobObject")
	procGenerateConsoleCtrlEvent  = kernel32.NewProc("GenerateConsoleCtrlEvent")
	procGetConsoleProcessList     = kernel32.NewProc("GetConsoleProcessList")

	// NtResumeProcess resumes every thread of a process. It is ntdll's and
	// not in Microsoft's documentation, but it has been there since
	// Windows XP and is what tools that start processes suspended use.
	// The documented way needs the handle of the process's first thread,
	// which os/exec closes once the process is created.
	procNtResumeProcess = syscall.NewLazyDLL("ntdll.dll").NewProc("NtResumeProcess")
)

const (
	createSuspended = 0x00000004 // CREATE_SUSPENDED

	processSetQuota      = 0x0100 // PROCESS_SET_QUOTA, needed to assign a process to a job
	processSuspendResume = 0x0800 // PROCESS_SUSPEND_RESUME

	jobObjectBasicAccountingInformation = 1      // JobObjectBasicAccountingInformation
	jobObjectExtendedLimitInformation   = 9      // JobObjectExtendedLimitInformation
	jobObjectLimitKillOnJobClose        = 0x2000 // JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
)

// jobBasicLimit is JOBOBJECT_BASIC_LIMIT_INFORMATION.
type jobBasicLimit struct {
	PerProcessUserTimeLimit int64
	PerJobUserTimeLimit     int64
	LimitFlags              uint32
	MinimumWorkingSetSize   uintptr
	MaximumWorkingSetSize   uintptr
	ActiveProcessLimit      uint32
	Affinity                uintptr
	PriorityClass           uint32
	SchedulingClass         uint32
}

// jobExtendedLimit is JOBOBJECT_EXTENDED_LIMIT_INFORMATION. On 386, C
// aligns the 64-bit fields to 8 bytes and Go to 4, so the padding after
// the basic limits is 4 bytes there and none on 64-bit systems.
type jobExtendedLimit struct {
	BasicLimitInformation jobBasicLimit
	_                     [(8 - unsafe.Sizeof(jobBasicLimit{})%8) % 8]byte
	IoInfo                [6]uint64 // IO_COUNTERS
	ProcessMemoryLimit    uintptr
	JobMemoryLimit        uintptr
	PeakProcessMemoryUsed uintptr
	PeakJobMemoryUsed     uintptr
}

// jobAccounting is JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.
type jobAccounting struct {
	TotalUserTime             int64
	TotalKernelTime           int64
	ThisPeriodTotalUserTime   int64
	ThisPeriodTotalKernelTime int64
	TotalPageFaultCount       uint32
	TotalProcesses            uint32
	ActiveProcesses           uint32
	TotalTerminatedProcesses  uint32
}

func (t *Tree) start() error {
	job, jobErr := newJob()
	if t.cmd.SysProcAttr == nil {
		t.cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	t.cmd.SysProcAttr.CreationFlags |= syscall.CREATE_NEW_PROCESS_GROUP
	if jobErr != nil {
		// Without a job the command starts as it is; Kill falls back on
		// taskkill, which walks the tree by parent process ids.
		return t.cmd.Start()
	}
	t.cmd.SysProcAttr.CreationFlags |= createSuspended
	if err := t.cmd.Start(); err != nil {
		syscall.CloseHandle(job)
		return err
	}
	assigned, err := assignAndResume(job, t.cmd.Process.Pid)
	if err != nil {
		// Still suspended: it has run nothing, started nothing. End it,
		// and let the caller know that it did not start.
		t.cmd.Process.Kill()     // If this fails, closing the job ends it, if it is in it.
		syscall.CloseHandle(job) // Kills it if it is in the job.
		t.cmd.Wait()             // Its error says it was killed: not news.
		return fmt.Errorf("proctree: %w", err)
	}
	if !assigned {
		syscall.CloseHandle(job)
		job = 0
	}
	t.job = job
	return nil
}

// newJob makes a job that kills what is left in it when it is closed.
func newJob() (syscall.Handle, error) {
	h, _, err := procCreateJobObjectW.Call(0, 0)
	if h == 0 {
		return 0, os.NewSyscallError("CreateJobObjectW", err)
	}
	job := syscall.Handle(h)
	var info jobExtendedLimit
	info.BasicLimitInformation.LimitFlags = jobObjectLimitKillOnJobClose
	ok, _, err := procSetInformationJobObject.Call(uintptr(job), jobObjectExtendedLimitInformation, uintptr(unsafe.Pointer(&info)), unsafe.Sizeof(info))
	if ok == 0 {
		syscall.CloseHandle(job)
		return 0, os.NewSyscallError("SetInformationJobObject", err)
	}
	return job, nil
}

// assignAndResume puts the suspended process pid in job and resumes it.
// It reports whether the process is in the job; if it could not be put
// there (a system that does not allow it), the process is resumed all the
// same, without a job. An error means it could not be resumed.
func assignAndResume(job syscall.Handle, pid int) (assigned bool, err error) {
	// The process cannot have exited and its id been reused: it is
	// suspended, and the command holds a handle to it.
	h, err := syscall.OpenProcess(processSetQuota|syscall.PROCESS_TERMINATE|processSuspendResume, false, uint32(pid))
	if err != nil {
		return false, os.NewSyscallError("OpenProcess", err)
	}
	defer syscall.CloseHandle(h)
	ok, _, _ := procAssignProcessToJobObject.Call(uintptr(job), uintptr(h))
	if status, _, _ := procNtResumeProcess.Call(uintptr(h)); status != 0 {
		return false, fmt.Errorf("NtResumeProcess: NTSTATUS %#x", status)
	}
	return ok != 0, nil
}

func (t *Tree) kill() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job != 0 {
		ok, _, err := procTerminateJobObject.Call(uintptr(t.job), 1)
		if ok == 0 {
			return fmt.Errorf("proctree: %w", os.NewSyscallError("TerminateJobObject", err))
		}
		return nil
	}
	// No job: taskkill walks the tree from the command's process by parent
	// process ids, which misses a child whose parent has already exited.
	// It fails when nothing is left, or where it is missing or has no /T.
	exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(t.cmd.Process.Pid)).Run()
	// Once cmd.Wait has returned, os.Process.Kill says EINVAL on Windows
	// (the process's handle is released), where it would say ErrProcessDone.
	if err := t.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("proctree: %w", err)
	}
	return nil
}

func (t *Tree) interrupt() error {
	pid := t.cmd.Process.Pid
	if t.ended() {
		return fmt.Errorf("proctree: Ctrl-Break to process group %d: %w", pid, os.ErrProcessDone)
	}
	ok, _, err := procGenerateConsoleCtrlEvent.Call(syscall.CTRL_BREAK_EVENT, uintptr(pid))
	if ok != 0 {
		return nil
	}
	return fmt.Errorf("proctree: cannot send Ctrl-Break to process group %d: %w: %s", pid, os.NewSyscallError("GenerateConsoleCtrlEvent", err), whyNoCtrlBreak(pid))
}

// ended reports whether the job is known to have no process left in it.
func (t *Tree) ended() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job == 0 {
		return false
	}
	var info jobAccounting
	ok, _, _ := procQueryInformationJobObject.Call(uintptr(t.job), jobObjectBasicAccountingInformation, uintptr(unsafe.Pointer(&info)), unsafe.Sizeof(info), 0)
	return ok != 0 && info.ActiveProcesses == 0
}

// whyNoCtrlBreak says why a console event could not reach process pid: a
// console event reaches only the processes attached to the sender's
// console.
func whyNoCtrlBreak(pid int) string {
	pids := make([]uint32, 64)
	n, _, _ := procGetConsoleProcessList.Call(uintptr(unsafe.Pointer(&pids[0])), uintptr(len(pids)))
	switch {
	case n == 0:
		return "this process has no console (as under an IDE's test runner or a service), and console events reach only processes that share the sender's console"
	case int(n) <= len(pids):
		for _, p := range pids[:n] {
			if int(p) == pid {
				return "the program shares this process's console, yet Windows refused"
			}
		}
		return "the program is not attached to this process's console, and console events reach only processes that share the sender's console"
	}
	return "console events reach only processes that share the sender's console"
}

func (t *Tree) close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job == 0 {
		return nil
	}
	err := syscall.CloseHandle(t.job)
	t.job = 0
	if err != nil {
		return fmt.Errorf("proctree: %w", os.NewSyscallError("CloseHandle", err))
	}
	return nil
}
