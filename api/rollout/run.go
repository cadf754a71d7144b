package rollout

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/certwiz/certwiz/api"
)

// ErrStillRunning: resources of the record were still pending or running
// at the deadline. The record goes on at Tencent.
var ErrStillRunning = errors.New("rollout: the record is still running")

// ErrStillCreating: Tencent kept answering DeployRecordId 0 ("the task is
// still being created") for every attempt.
var ErrStillCreating = errors.New("rollout: Tencent is still creating the task")

// Kind names the records a Runner follows: an update's (the zero Kind:
// UpdateCertificateInstance, DescribeHostUpdateRecordDetail…) or a first
// deployment's to resources of one type (DeployCertificateInstance,
// DescribeHostDeployRecordDetail…, whose record does not name the type).
type Kind struct {
	Deploy bool
	Type   string
	// Undo: the record is a rollback's (words only).
	Undo bool
}

// Runner carries a plan out and follows records.
type Runner struct {
	Client *api.Client
	Kind   Kind
	// Interval between reads of a record (default DefaultInterval).
	Interval time.Duration
	// Deadline: following a record stops here with ErrStillRunning.
	Deadline time.Time
	// Seen is called with each read of a record (progress); may be nil.
	Seen func(api.UpdateRecord)
	// Pause is the wait between calls while the task is being created and
	// the first back-off before a busy resource is retried (default 1s;
	// tests make it short).
	Pause time.Duration
}

// Bounds of the loops that change nothing by themselves.
const (
	maxCreating    = 30 // UpdateCertificateInstance answering 0
	MaxBusyRetries = 3  // rounds of retrying resources busy with another change
	MaxRetries     = 2  // --on-failure retry: rounds of retrying every failed resource
)

func (r *Runner) pause() time.Duration {
	if r.Pause > 0 {
		return r.Pause
	}
	return time.Second
}

// Start asks Tencent to replace OLD by NEW (UpdateCertificateInstance),
// again while it answers DeployRecordId 0, one call a Pause apart (the
// client also keeps every action under its rate). Created false: a record
// of OLD was already running, and its ID is returned (see Follow).
func (r *Runner) Start(ctx context.Context, req api.UpdateRequest) (api.UpdateStart, error) {
	return r.create(ctx, func() (api.UpdateStart, error) { return r.Client.UpdateCertificateInstance(ctx, req) })
}

// StartDeploy asks Tencent to put a certificate on resources of one type
// (DeployCertificateInstance), as Start does. Created false: a deployment
// of the certificate to that type was already running, and its ID is
// returned.
func (r *Runner) StartDeploy(ctx context.Context, req api.DeployRequest) (api.UpdateStart, error) {
	return r.create(ctx, func() (api.UpdateStart, error) { return r.Client.DeployCertificateInstance(ctx, req) })
}

// create calls start again while it answers DeployRecordId 0.
func (r *Runner) create(ctx context.Context, start func() (api.UpdateStart, error)) (api.UpdateStart, error) {
	for range maxCreating {
		st, err := start()
		if err != nil || st.RecordID != 0 {
			return st, err
		}
		if err := Sleep(ctx, r.pause()); err != nil {
			return st, err
		}
	}
	return api.UpdateStart{}, ErrStillCreating
}

// Follow reads a record every Interval until no resource is pending or
// running, or until the Deadline (ErrStillRunning with the last read).
// from and to as for api.Client.UpdateRecordDetail (DeployRecordDetail
// for a deployment's).
func (r *Runner) Follow(ctx context.Context, id uint64, from, to string) (api.UpdateRecord, error) {
	interval := r.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	for {
		rec, err := r.detail(ctx, id, from, to)
		if err != nil {
			return rec, err
		}
		from, to = rec.From, rec.To
		if r.Seen != nil {
			r.Seen(rec)
		}
		if rec.Done() {
			return rec, nil
		}
		wait := min(interval, time.Until(r.Deadline))
		if wait <= 0 {
			return rec, ErrStillRunning
		}
		if err := Sleep(ctx, wait); err != nil {
			return rec, err
		}
	}
}

// The calls that differ by Kind.
func (r *Runner) detail(ctx context.Context, id uint64, from, to string) (api.UpdateRecord, error) {
	if r.Kind.Deploy {
		return r.Client.DeployRecordDetail(ctx, id, r.Kind.Type, from, to)
	}
	return r.Client.UpdateRecordDetail(ctx, id, from, to)
}

func (r *Runner) retryResource(ctx context.Context, detailID uint64) (string, error) {
	if r.Kind.Deploy {
		return r.Client.RetryDeployResource(ctx, detailID)
	}
	return r.Client.RetryUpdateResource(ctx, detailID)
}

func (r *Runner) retryRecord(ctx context.Context, id uint64) (string, error) {
	if r.Kind.Deploy {
		return r.Client.RetryDeploy(ctx, id)
	}
	return r.Client.RetryUpdate(ctx, id)
}

func (r *Runner) rollback(ctx context.Context, id uint64) (uint64, error) {
	if r.Kind.Deploy {
		return r.Client.RollbackDeploy(ctx, id)
	}
	return r.Client.RollbackUpdate(ctx, id)
}

// Busy reports a resource that failed because another change held it
// ("resource in operating": CLB under parallel changes). Its retry is
// certwiz's to make, not a failure to ask about.
func Busy(res api.UpdatedResource) bool {
	m := strings.ToLower(res.Error)
	return res.Status == api.UpdateFailed && (strings.Contains(m, "resource in operat") || strings.Contains(m, "resourceinoperation"))
}

// RetryBusy retries, one resource at a time, the failed resources that
// were busy with another change, with a growing back-off, up to
// MaxBusyRetries rounds, following the record after each. It returns the
// record as it ends (any other failure left for the caller).
func (r *Runner) RetryBusy(ctx context.Context, rec api.UpdateRecord) (api.UpdateRecord, error) {
	wait := r.pause()
	for range MaxBusyRetries {
		var busy []api.UpdatedResource
		for _, res := range rec.Resources {
			if Busy(res) {
				busy = append(busy, res)
			}
		}
		if len(busy) == 0 {
			return rec, nil
		}
		if err := Sleep(ctx, wait); err != nil {
			return rec, err
		}
		wait *= 2
		for _, res := range busy { // one at a time: the instance is serialized
			if _, err := r.retryResource(ctx, res.DetailID); err != nil {
				return rec, err
			}
		}
		var err error
		if rec, err = r.Follow(ctx, rec.ID, rec.From, rec.To); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// Retry starts every failed resource of a finished record again
// (UpdateCertificateRecordRetry, DeployCertificateRecordRetry) and follows
// it, up to MaxRetries rounds while some still fail.
func (r *Runner) Retry(ctx context.Context, rec api.UpdateRecord) (api.UpdateRecord, error) {
	for range MaxRetries {
		if rec.Failed == 0 {
			return rec, nil
		}
		if _, err := r.retryRecord(ctx, rec.ID); err != nil {
			return rec, &RequestError{err}
		}
		var err error
		if rec, err = r.Follow(ctx, rec.ID, rec.From, rec.To); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// Rollback puts OLD back on the resources a finished record changed
// (UpdateCertificateRecordRollback; DeployCertificateRecordRollback gives
// each what it served before) and follows the rollback's own record (NEW →
// OLD; a deployment's: the certificate → "") to its end. With nothing
// succeeded there is nothing to undo: the zero record and no request.
func (r *Runner) Rollback(ctx context.Context, rec api.UpdateRecord) (api.UpdateRecord, error) {
	if rec.Success == 0 {
		return api.UpdateRecord{}, nil
	}
	id, err := r.rollback(ctx, rec.ID)
	if err != nil {
		return api.UpdateRecord{}, &RequestError{err}
	}
	back, err := r.Follow(ctx, id, rec.To, rec.From)
	if back.ID == 0 {
		back.ID = id // not read yet: still the record that goes on
	}
	return back, err
}

// RequestError is a retry's or a rollback's own request refused or lost,
// as opposed to following its record afterwards: the history records the
// request's outcome from it.
type RequestError struct{ Err error }

func (e *RequestError) Error() string { return e.Err.Error() }
func (e *RequestError) Unwrap() error { return e.Err }

// Refused is the service's answer to a retry's or rollback's request when
// it failed (nil when the request was accepted, whatever followed).
func Refused(err error) *api.Error {
	var re *RequestError
	var e *api.Error
	if errors.As(err, &re) && errors.As(re.Err, &e) {
		return e
	}
	if errors.As(err, &re) {
		return &api.Error{Code: api.CodeNetwork, Message: re.Err.Error(), Err: re.Err}
	}
	return nil
}

// Why says in words why a resource failed. Tencent's own message is the
// fallback (the caller shows it escaped): known is false then.
func Why(res api.UpdatedResource) (words api.Text, known bool) {
	m := strings.ToLower(res.Error)
	switch {
	case Busy(res):
		return api.Text{EN: "the load balancer was busy with another change (certwiz retried it)", ZH: "负载均衡正被其他变更占用（certwiz 已重试）"}, true
	case strings.Contains(m, "certificatenotdeployinstance") || strings.Contains(m, "cannot be deployed to this instance"):
		return api.Text{EN: "this resource cannot take the certificate (Tencent refused to deploy to it: check the listener's protocol and SNI in the console)",
			ZH: "该资源无法使用此证书（腾讯云拒绝部署：请在控制台检查监听器的协议和 SNI 设置）"}, true
	case strings.Contains(m, "rolenotfoundauthorization") || strings.Contains(m, "role does not exist"):
		return api.Text{EN: "the SSL service role is not authorized to change this resource (authorize it in the SSL console: Certificate hosting → service authorization)",
			ZH: "SSL 服务角色未获授权修改该资源（请在 SSL 控制台授权：证书托管 → 服务授权）"}, true
	case strings.Contains(m, "does not cover"):
		return api.Text{EN: "the new certificate does not cover a name this resource serves", ZH: "新证书未覆盖该资源使用的域名"}, true
	case res.Status == api.UpdateRollbackFailed:
		return api.Text{EN: "putting the old certificate back failed", ZH: "恢复旧证书失败"}, true
	case res.Error == "":
		return api.Text{EN: "Tencent gave no reason", ZH: "腾讯云未给出原因"}, true
	}
	return api.Text{EN: "Tencent says", ZH: "腾讯云提示"}, false
}

// Why says, as Why, why a resource of a record of this kind failed.
func (k Kind) Why(res api.UpdatedResource) (api.Text, bool) {
	if k.Deploy && res.Status == api.UpdateRollbackFailed {
		return api.Text{EN: "giving the resource back what it served before failed", ZH: "恢复该资源原先使用的证书失败"}, true
	}
	return Why(res)
}

// Word names a resource's state in a record of this kind: as StatusWord,
// but a deployment's success is "deployed", and its rollback's "restored".
func (k Kind) Word(status int) api.Text {
	switch {
	case k.Deploy && status == api.UpdateSuccess && k.Undo:
		return api.Text{EN: "restored", ZH: "已恢复"}
	case k.Deploy && status == api.UpdateSuccess:
		return api.Text{EN: "deployed", ZH: "已部署"}
	case k.Undo && status == api.UpdateSuccess:
		return api.Text{EN: "old certificate back", ZH: "已恢复旧证书"}
	}
	return StatusWord(status)
}

// StatusWord names a resource's state in a record.
func StatusWord(status int) api.Text {
	switch status {
	case api.UpdatePending:
		return api.Text{EN: "pending", ZH: "等待中"}
	case api.UpdateSuccess:
		return api.Text{EN: "replaced", ZH: "已替换"}
	case api.UpdateFailed:
		return api.Text{EN: "failed", ZH: "失败"}
	case api.UpdateRunning:
		return api.Text{EN: "running", ZH: "进行中"}
	case api.UpdateRolledBack:
		return api.Text{EN: "rolled back", ZH: "已回滚"}
	case api.UpdateRollbackFailed:
		return api.Text{EN: "rollback failed", ZH: "回滚失败"}
	case api.UpdateNoResource:
		return api.Text{EN: "resource gone", ZH: "资源已不存在"}
	}
	return api.Text{EN: fmt.Sprintf("status %d", status), ZH: fmt.Sprintf("状态 %d", status)}
}
