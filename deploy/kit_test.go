package deploy_test

// Checks of the deployment kit in this directory: the systemd units, the Dockerfile (and
// the script that runs its steps without a Docker daemon), and the three CI templates.
// Every helper is prefixed with kit: nginx_test.go shares the package.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"go/parser"
	"go/token"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// ---------------------------------------------------------------------------------------
// CI templates

// kitJob is one CI job reduced to what the checks need.
type kitJob struct {
	name     string
	commands string   // the shell run by the job, in order, comment lines dropped
	gates    []string // conditions the job runs under (GitHub/Gitea if:, GitLab rules: if:)
	gated    bool     // the job has a condition at all
}

var (
	kitCheckRe  = regexp.MustCompile(`(?m)^\s*jingjian check\b`)
	kitBuildRe  = regexp.MustCompile(`(?m)^\s*jingjian build\b`)
	kitDeployRe = regexp.MustCompile(`(?m)^\s*jingjian deploy\b`)
	kitRsyncRe  = regexp.MustCompile(`(?m)^\s*rsync\s`)
)

// kitShell joins script lines, dropping comment lines (a comment may name a command).
func kitShell(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		for _, line := range strings.Split(p, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func kitReadYAML(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

func kitStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, kitStrings(e)...)
		}
		return out
	}
	return nil
}

// kitActionsJobs reads a GitHub or Gitea Actions workflow, checking that it runs on every
// push (no branch filter).
func kitActionsJobs(t *testing.T, name string) []kitJob {
	t.Helper()
	doc := kitReadYAML(t, name)
	on, ok := doc["on"]
	if !ok {
		t.Fatalf("%s: no on:", name)
	}
	switch on := on.(type) {
	case string:
		if on != "push" {
			t.Errorf("%s: on: %q, want push", name, on)
		}
	case []any:
		if !strings.Contains(strings.Join(kitStrings(on), " "), "push") {
			t.Errorf("%s: on: %v has no push", name, on)
		}
	case map[string]any:
		push, ok := on["push"]
		if !ok {
			t.Errorf("%s: on: has no push", name)
		}
		if m, ok := push.(map[string]any); ok {
			for _, k := range []string{"branches", "branches-ignore", "paths", "paths-ignore"} {
				if _, ok := m[k]; ok && !(k == "branches" && strings.Join(kitStrings(m[k]), " ") == "**") {
					t.Errorf("%s: on.push.%s limits the pushes that are checked", name, k)
				}
			}
		}
	default:
		t.Fatalf("%s: on: of type %T", name, on)
	}
	jobs, ok := doc["jobs"].(map[string]any)
	if !ok || len(jobs) == 0 {
		t.Fatalf("%s: no jobs", name)
	}
	var out []kitJob
	for jn, jv := range jobs {
		j, _ := jv.(map[string]any)
		job := kitJob{name: jn}
		if cond, ok := j["if"]; ok {
			job.gated = true
			job.gates = kitStrings(cond)
		}
		steps, _ := j["steps"].([]any)
		var runs []string
		for _, s := range steps {
			if m, ok := s.(map[string]any); ok {
				if cond, ok := m["if"].(string); ok && kitDeployish(kitShell(kitStrings(m["run"]))) {
					job.gates = append(job.gates, cond) // a step may gate itself
				}
				runs = append(runs, kitStrings(m["run"])...)
			}
		}
		job.commands = kitShell(runs)
		out = append(out, job)
	}
	return out
}

// kitGitLabReserved are GitLab's top-level keywords that are not jobs.
var kitGitLabReserved = map[string]bool{
	"stages": true, "variables": true, "workflow": true, "default": true, "include": true,
	"image": true, "services": true, "cache": true, "before_script": true, "after_script": true,
}

func kitGitLabJobs(t *testing.T, name string) []kitJob {
	t.Helper()
	doc := kitReadYAML(t, name)
	if wf, ok := doc["workflow"].(map[string]any); ok {
		// Pipelines must run for every push.
		push := false
		for _, r := range wf["rules"].([]any) {
			m, _ := r.(map[string]any)
			cond, _ := m["if"].(string)
			if strings.Contains(cond, `$CI_PIPELINE_SOURCE == "push"`) && !strings.Contains(cond, "&&") && m["when"] != "never" {
				push = true
			}
		}
		if !push {
			t.Errorf("%s: workflow:rules do not run a pipeline for every push", name)
		}
	}
	var out []kitJob
	for jn, jv := range doc {
		j, ok := jv.(map[string]any)
		if !ok || kitGitLabReserved[jn] || strings.HasPrefix(jn, ".") {
			continue
		}
		if _, ok := j["script"]; !ok {
			continue
		}
		job := kitJob{name: jn}
		for _, k := range []string{"only", "except"} {
			if _, ok := j[k]; ok {
				t.Errorf("%s: job %s uses %s:, the checks understand rules: only", name, jn, k)
			}
		}
		if rules, ok := j["rules"].([]any); ok {
			job.gated = true
			for _, r := range rules {
				m, _ := r.(map[string]any)
				if m["when"] == "never" {
					continue // a rule that excludes is no way in
				}
				cond, ok := m["if"].(string)
				if !ok {
					cond = "" // a rule without if: lets every pipeline in
				}
				job.gates = append(job.gates, cond)
			}
		}
		job.commands = kitShell(append(kitStrings(j["before_script"]), kitStrings(j["script"])...))
		out = append(out, job)
	}
	return out
}

func kitDeployish(cmds string) bool {
	return kitDeployRe.MatchString(cmds) || kitRsyncRe.MatchString(cmds)
}

// kitOnlyMain reports whether every way into a job requires the main branch: each gate
// requires it and has no || that could bypass it.
func kitOnlyMain(gates []string, mainRe *regexp.Regexp) bool {
	if len(gates) == 0 {
		return false
	}
	for _, g := range gates {
		if strings.Contains(g, "||") || !mainRe.MatchString(g) {
			return false
		}
	}
	return true
}

func TestKitCIWorkflows(t *testing.T) {
	actionsMain := regexp.MustCompile(`\b(github|gitea)\.ref\s*==\s*'refs/heads/main'`)
	gitlabMain := regexp.MustCompile(`\$CI_COMMIT_BRANCH\s*==\s*"main"`)
	for _, c := range []struct {
		file   string
		jobs   func(*testing.T, string) []kitJob
		mainRe *regexp.Regexp
	}{
		{"ci/github-actions.yml", kitActionsJobs, actionsMain},
		{"ci/gitea-actions.yml", kitActionsJobs, actionsMain},
		{"ci/gitlab-ci.yml", kitGitLabJobs, gitlabMain},
	} {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			jobs := c.jobs(t, c.file)
			everyPush, selfHosted, rsync := false, false, false
			for _, j := range jobs {
				cmds := j.commands
				check := kitCheckRe.FindStringIndex(cmds)
				for _, re := range []*regexp.Regexp{kitBuildRe, kitDeployRe} {
					if loc := re.FindStringIndex(cmds); loc != nil && (check == nil || check[0] > loc[0]) {
						t.Errorf("job %s runs %q without jingjian check before it", j.name, strings.TrimSpace(cmds[loc[0]:loc[1]]))
					}
				}
				if kitDeployish(cmds) {
					if !kitOnlyMain(j.gates, c.mainRe) {
						t.Errorf("job %s deploys, but not only on main: conditions %q", j.name, j.gates)
					}
					selfHosted = selfHosted || kitDeployRe.MatchString(cmds)
					rsync = rsync || kitRsyncRe.MatchString(cmds)
					if kitRsyncRe.MatchString(cmds) && !strings.Contains(cmds, "$DEPLOY_HOST") {
						t.Errorf("job %s: rsync's destination is not taken from variables", j.name)
					}
					continue
				}
				if check != nil && kitBuildRe.MatchString(cmds) && !j.gated {
					everyPush = true
				}
			}
			if !everyPush {
				t.Error("no ungated job runs jingjian check and then jingjian build on every push")
			}
			if !selfHosted || !rsync {
				t.Errorf("deploy methods: jingjian deploy %v, rsync %v; want both", selfHosted, rsync)
			}
		})
	}
}

// TestKitCIGatesSelfTest feeds the CI checks jobs they must reject, so that a check that
// silently accepts everything cannot pass.
func TestKitCIGatesSelfTest(t *testing.T) {
	main := regexp.MustCompile(`\$CI_COMMIT_BRANCH\s*==\s*"main"`)
	for _, gates := range [][]string{nil, {""}, {`$CI_COMMIT_BRANCH == "main" || $X`}, {`$CI_COMMIT_BRANCH == "main"`, `$CI_COMMIT_TAG`}} {
		if kitOnlyMain(gates, main) {
			t.Errorf("kitOnlyMain(%q) = true", gates)
		}
	}
	if !kitOnlyMain([]string{`$CI_COMMIT_BRANCH == "main" && $DEPLOY_METHOD == "rsync"`}, main) {
		t.Error("kitOnlyMain rejects a main-and-variable gate")
	}
	if cmds := kitShell([]string{"# jingjian deploy here\necho"}); kitDeployish(cmds) {
		t.Error("a comment counted as a command")
	}
}

// ---------------------------------------------------------------------------------------
// systemd units

// kitUnit reads a unit file into key → values (a key may repeat), ignoring sections.
func kitUnit(t *testing.T, name string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' || line[0] == '[' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf("%s: line %q is no key=value", name, line)
			continue
		}
		out[k] = append(out[k], v)
	}
	return out
}

func TestKitSystemdUnitDirectives(t *testing.T) {
	u := kitUnit(t, "jingjian.service")
	if got, want := u["ExecStart"], []string{"/usr/local/bin/jingjian serve -s /srv/jingjian --addr 127.0.0.1:1313 --watch=false"}; strings.Join(got, "|") != want[0] {
		t.Errorf("ExecStart = %q, want %q", got, want)
	}
	want := map[string]string{
		"ProtectSystem":           "strict",
		"NoNewPrivileges":         "yes",
		"PrivateTmp":              "yes",
		"ProtectHome":             "yes",
		"CapabilityBoundingSet":   "",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
		"Restart":                 "on-failure",
	}
	for k, v := range want {
		if got := u[k]; len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want exactly %q", k, got, v)
		}
	}
	if sf := u["SystemCallFilter"]; len(sf) == 0 || sf[0] != "@system-service" {
		t.Errorf("SystemCallFilter = %q, want @system-service first", sf)
	}
	if len(u["MemoryMax"]) != 1 {
		t.Error("no MemoryMax")
	}
	if len(u["User"]) != 1 && strings.Join(u["DynamicUser"], "") != "yes" {
		t.Error("neither User= nor DynamicUser=yes")
	}
	// The site directory is writable (the output swap happens in it), its inputs are not.
	if rw := strings.Join(u["ReadWritePaths"], " "); rw != "/srv/jingjian" {
		t.Errorf("ReadWritePaths = %q", rw)
	}
	ro := strings.Fields(strings.Join(u["ReadOnlyPaths"], " "))
	for _, p := range []string{"/srv/jingjian/content", "/srv/jingjian/config.toml", "-/srv/jingjian/layouts"} {
		if !strings.Contains(" "+strings.Join(ro, " ")+" ", " "+p+" ") {
			t.Errorf("ReadOnlyPaths lacks %s: %q", p, ro)
		}
	}
	b := kitUnit(t, "jingjian-build.service")
	if got := strings.Join(b["ExecStart"], "|"); !strings.HasPrefix(got, "/usr/local/bin/jingjian build -s /srv/jingjian") {
		t.Errorf("jingjian-build.service ExecStart = %q", got)
	}
	if got := strings.Join(b["User"], "|"); got != strings.Join(u["User"], "|") {
		t.Errorf("jingjian-build.service runs as %q, serve as %q: they share the build lock and output", got, u["User"])
	}
}

// kitUnitCopies writes the units into a temporary directory with ExecStart's binary
// replaced by exe (systemd-analyze verify wants an executable there).
func kitUnitCopies(t *testing.T, exe string, extra map[string]string) (dir string, units []string) {
	t.Helper()
	dir = t.TempDir()
	for _, name := range []string{"jingjian.service", "jingjian-build.service", "jingjian-build.timer"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(data), "/usr/local/bin/jingjian ", exe+" ") + extra[name]
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		units = append(units, p)
	}
	return dir, units
}

// kitVerify runs systemd-analyze verify on units and returns the complaints about them.
//
// Output that does not name one of our files is environment noise: verify loads the
// units' dependencies (multi-user.target, network.target, timers.target and what they pull
// in) from this machine's /lib/systemd, and a container's units may be incomplete or
// marked executable, or there is no D-Bus/PID 1 systemd to ask. That is logged, not failed.
// systemd 252 exits 0 even for a bad line ("Unknown key … ignoring"), so the exit status
// alone proves nothing: any line naming our directory or units is a failure.
func kitVerify(t *testing.T, tool, dir string, units []string) (complaints, noise []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := append([]string{"verify", "--man=no"}, units...)
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Env = append(os.Environ(), "SYSTEMD_LOG_COLOR=0", "SYSTEMD_PAGER=cat", "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue
		}
		ours := strings.Contains(line, dir)
		for _, u := range units {
			ours = ours || strings.Contains(line, filepath.Base(u)+":") || strings.HasPrefix(line, filepath.Base(u))
		}
		if ours {
			complaints = append(complaints, line)
		} else {
			noise = append(noise, line)
		}
	}
	if err != nil && len(complaints) == 0 {
		// A failure with no line about our units: say so, it is most likely our units anyway.
		complaints = append(complaints, "systemd-analyze verify: "+err.Error())
	}
	return complaints, noise
}

func TestKitSystemdVerify(t *testing.T) {
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	exe, err := os.Executable() // any executable file will do for ExecStart
	if err != nil {
		t.Fatal(err)
	}
	dir, units := kitUnitCopies(t, exe, nil)
	complaints, noise := kitVerify(t, tool, dir, units)
	for _, n := range noise {
		t.Logf("environment (ignored): %s", n)
	}
	for _, c := range complaints {
		t.Errorf("systemd-analyze verify: %s", c)
	}

	// The same with a bad line in each kind of unit must complain: proof that verify ran
	// and that its complaints are recognised here.
	bad := map[string]string{"jingjian.service": "\n[Service]\nRestart=sometimes\n", "jingjian-build.timer": "\n[Timer]\nBogusKey=1\n"}
	dir, units = kitUnitCopies(t, exe, bad)
	complaints, _ = kitVerify(t, tool, dir, units)
	if len(complaints) < 2 {
		t.Errorf("verify of deliberately broken units: %d complaints %q, want 2", len(complaints), complaints)
	}
}

var kitExposureRe = regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`)

func TestKitSystemdSecurity(t *testing.T) {
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	_, units := kitUnitCopies(t, exe, nil)
	// Exposure 0 (safe) to 10 (unsafe); at the time of writing 1.0 and 0.5.
	limits := map[string]float64{"jingjian.service": 2.0, "jingjian-build.service": 1.5}
	for _, u := range units {
		limit, ok := limits[filepath.Base(u)]
		if !ok {
			continue
		}
		out, err := exec.Command(tool, "security", "--offline=yes", "--no-pager", u).CombinedOutput()
		m := kitExposureRe.FindSubmatch(out)
		if m == nil {
			// systemd older than 250 has no --offline: nothing to measure here.
			t.Skipf("systemd-analyze security --offline=yes: %v: %s", err, bytes.TrimSpace(out))
		}
		score, _ := strconv.ParseFloat(string(m[1]), 64)
		t.Logf("%s: exposure %.1f", filepath.Base(u), score)
		if score > limit {
			t.Errorf("%s: exposure %.1f above %.1f:\n%s", filepath.Base(u), score, limit, out)
		}
	}
}

// ---------------------------------------------------------------------------------------
// Dockerfile

// kitInstruction is one Dockerfile instruction, continuation lines joined; heredoc bodies
// are kept apart.
type kitInstruction struct {
	line    int
	cmd     string // upper case
	args    string
	heredoc map[string]string // delimiter → body
}

var kitHeredocRe = regexp.MustCompile(`<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)(["']?)`)

func kitDockerfile(t *testing.T, name string) []kitInstruction {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var out []kitInstruction
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		start := i + 1
		for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
			i++
			next := strings.TrimSpace(lines[i])
			if strings.HasPrefix(next, "#") {
				continue
			}
			line = strings.TrimSuffix(line, `\`) + " " + next
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := kitInstruction{line: start, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		for _, m := range kitHeredocRe.FindAllStringSubmatch(line, -1) {
			var body []string
			for i++; i < len(lines) && lines[i] != m[2]; i++ {
				body = append(body, lines[i])
			}
			if i == len(lines) {
				t.Fatalf("%s:%d: heredoc %s not closed", name, start, m[2])
			}
			if in.heredoc == nil {
				in.heredoc = map[string]string{}
			}
			in.heredoc[m[2]] = strings.Join(body, "\n") + "\n"
		}
		out = append(out, in)
	}
	return out
}

// kitExpand substitutes ${NAME} and $NAME from the ARG defaults.
func kitExpand(s string, args map[string]string) string {
	return os.Expand(s, func(k string) string { return args[k] })
}

func TestKitDockerfile(t *testing.T) {
	ins := kitDockerfile(t, "Dockerfile")
	args := map[string]string{}
	type stage struct {
		image, name string
		ins         []kitInstruction
	}
	var stages []*stage
	for _, in := range ins {
		switch in.cmd {
		case "ARG":
			if k, v, ok := strings.Cut(in.args, "="); ok && len(stages) == 0 {
				args[k] = strings.Trim(v, `"`)
			}
			continue
		case "FROM":
			f := strings.Fields(in.args)
			s := &stage{image: kitExpand(f[0], args)}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.name = f[2]
			}
			stages = append(stages, s)
			continue
		}
		if len(stages) == 0 {
			t.Fatalf("Dockerfile:%d: %s before FROM", in.line, in.cmd)
		}
		stages[len(stages)-1].ins = append(stages[len(stages)-1].ins, in)
	}
	if len(stages) < 2 {
		t.Fatalf("%d FROM, want a multi-stage build", len(stages))
	}
	for _, s := range stages {
		ref := s.image
		if i := strings.Index(ref, "@"); i >= 0 {
			continue // pinned by digest
		}
		last := ref[strings.LastIndex(ref, "/")+1:]
		tag := ""
		if _, tg, ok := strings.Cut(last, ":"); ok {
			tag = tg
		}
		if tag == "" || tag == "latest" {
			t.Errorf("FROM %s: no tag or latest; pin a version", ref)
		}
	}

	// The Go image matches go.mod's go line.
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	if goLine == nil {
		t.Fatal("go.mod: no go line")
	}
	builder := stages[0]
	if !strings.HasPrefix(builder.image, "golang:"+string(goLine[1])+"-") && builder.image != "golang:"+string(goLine[1]) {
		t.Errorf("builder FROM %s, want golang:%s (go.mod)", builder.image, goLine[1])
	}

	var builderText strings.Builder
	var healthcheck string
	for _, in := range builder.ins {
		builderText.WriteString(in.cmd + " " + in.args + "\n")
		for _, body := range in.heredoc {
			if strings.Contains(in.args, "/healthcheck/main.go") {
				healthcheck = body
			}
		}
	}
	bt := builderText.String()
	if !regexp.MustCompile(`(?m)^ENV .*\bCGO_ENABLED=0\b`).MatchString(bt) {
		t.Error("builder: no ENV CGO_ENABLED=0")
	}
	goBuild := regexp.MustCompile(`go build -trimpath -ldflags "-s -w" -o /usr/local/bin/jingjian ./cmd/jingjian`)
	if !goBuild.MatchString(bt) {
		t.Error(`builder: no go build -trimpath -ldflags "-s -w" of ./cmd/jingjian`)
	}
	if !regexp.MustCompile(`jingjian build -s /site\b`).MatchString(bt) {
		t.Error("builder: the example site is not built into /site")
	}
	if healthcheck == "" {
		t.Error("builder: no health-check program heredoc")
	} else if _, err := parser.ParseFile(token.NewFileSet(), "healthcheck/main.go", healthcheck, 0); err != nil {
		t.Errorf("health-check program: %v", err)
	}

	final := stages[len(stages)-1]
	var user, entrypoint, expose, health string
	copiesFromBuilder := false
	for _, in := range final.ins {
		switch in.cmd {
		case "USER":
			user = in.args
		case "ENTRYPOINT":
			entrypoint = in.args
		case "EXPOSE":
			expose = in.args
		case "HEALTHCHECK":
			health = in.args
		case "COPY":
			copiesFromBuilder = copiesFromBuilder || strings.Contains(in.args, "--from="+builder.name)
		case "RUN":
			t.Errorf("Dockerfile:%d: RUN in the final stage (it has no shell)", in.line)
		}
	}
	if !copiesFromBuilder {
		t.Error("final stage copies nothing from the builder")
	}
	uid, gid, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("final USER %q: want a numeric non-root UID", user)
	}
	if gid != "" {
		if _, err := strconv.Atoi(gid); err != nil {
			t.Errorf("final USER %q: want a numeric GID", user)
		}
	}
	if expose != "1313" {
		t.Errorf("EXPOSE %q, want 1313", expose)
	}
	var ep []string
	if err := json.Unmarshal([]byte(entrypoint), &ep); err != nil || strings.Join(ep, " ") != "jingjian serve -s /site --addr 0.0.0.0:1313" {
		t.Errorf("ENTRYPOINT %s (%v), want the exec form of jingjian serve -s /site --addr 0.0.0.0:1313", entrypoint, err)
	}
	if !strings.Contains(health, "CMD") || !strings.Contains(health, "/healthz") {
		t.Errorf("HEALTHCHECK %q does not fetch /healthz", health)
	}

	// The build context leaves out what would bloat it or leak local state into the image.
	ignore, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	patterns := map[string]bool{}
	for _, l := range strings.Split(string(ignore), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns[l] = true
		}
	}
	for _, p := range []string{".git", "public", ".jingjian", ".public.*", "*.test"} {
		if !patterns[p] {
			t.Errorf(".dockerignore lacks %s", p)
		}
	}
	for _, p := range []string{"content", "themes", "config.toml", "go.mod", "go.sum", "cmd", "deploy"} {
		if patterns[p] {
			t.Errorf(".dockerignore leaves out %s, which the build needs", p)
		}
	}
}

// TestKitDockerSteps runs deploy/docker-steps.sh: the Dockerfile's steps without a Docker
// daemon (static build, site build, serve as UID 65532, health check on loopback).
func TestKitDockerSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and the site: skipped in -short mode")
	}
	for _, tool := range []string{"bash", "file", "ldd", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "docker-steps.sh", port)
	// No network in tests: modules come from the local cache or the build fails.
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil || !bytes.Contains(out, []byte("docker-steps: OK")) {
		t.Fatalf("docker-steps.sh: %v", err)
	}
}
