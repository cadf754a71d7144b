// Sends requests signed by Tencent Cloud's own Node.js SDK to a certwiz
// sandbox and prints one JSON line per case: {"case", "code", "requestId"}.
// Usage: node interop.js http://127.0.0.1:PORT SECRET_ID SECRET_KEY
"use strict";
const http = require("http");
const net = require("net");
const { CommonClient } = require("tencentcloud-sdk-nodejs-common");
const Sign = require("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign").default;

const [endpoint, secretId, secretKey] = process.argv.slice(2);
const target = new URL(endpoint);
const params = { CertificateId: "abcb1234", CsrType: "online", CertificateDomain: "www.example.com", DomainList: ["example.com"] };

function report(name, json) {
  const r = json.Response || {};
  console.log(JSON.stringify({ case: name, code: r.Error ? r.Error.Code : "", requestId: r.RequestId || "", certificateId: r.CertificateId || "" }));
}

// 1. The whole SDK: CommonClient for ssl.tencentcloudapi.com, its TCP
//    connections redirected to the sandbox, so Host, service and scope are
//    exactly what the real endpoint receives.
async function viaCommonClient() {
  const agent = new http.Agent();
  agent.createConnection = (opts, cb) => net.connect(Number(target.port), target.hostname, cb);
  const client = new CommonClient("ssl.tencentcloudapi.com", "2019-12-05", {
    credential: { secretId, secretKey },
    profile: { httpProfile: { protocol: "http://", agent }, language: "en-US" },
  });
  try {
    const res = await client.request("SubmitCertificateInformation", params);
    report("common-client", { Response: res });
  } catch (e) {
    report("common-client", { Response: { Error: { Code: e.code || "NodeSDKError", Message: e.message }, RequestId: e.requestId } });
  }
}

// 1b. The whole SDK pointed straight at the sandbox's host:port, as a user
//     would try it: the SDK then signs for service "127" and host without port.
async function viaCommonClientDirect() {
  const client = new CommonClient("ssl.tencentcloudapi.com", "2019-12-05", {
    credential: { secretId, secretKey },
    profile: { httpProfile: { protocol: "http://", endpoint: target.host } },
  });
  try {
    const res = await client.request("SubmitCertificateInformation", params);
    report("common-client-direct", { Response: res });
  } catch (e) {
    report("common-client-direct", { Response: { Error: { Code: e.code || "NodeSDKError", Message: e.message }, RequestId: e.requestId } });
  }
}

// 2. The SDK's signer straight against host:port, then sent as signed, or
//    with the body changed after signing, or an hour old.
async function viaSigner(name, { tamper = false, age = 0 } = {}) {
  const timestamp = Math.floor(Date.now() / 1000) - age;
  const headers = { "Content-Type": "application/json" };
  const authorization = Sign.sign3({ method: "POST", url: endpoint + "/", payload: params, timestamp, service: "ssl", secretId, secretKey, headers });
  const body = JSON.stringify(tamper ? { ...params, CertificateDomain: "evil.example.com" } : params);
  const res = await fetch(endpoint + "/", {
    method: "POST",
    body,
    headers: { ...headers, Authorization: authorization, "X-TC-Action": "SubmitCertificateInformation", "X-TC-Version": "2019-12-05", "X-TC-Timestamp": String(timestamp) },
  });
  report(name, await res.json());
}

// 3. The whole SDK on the other actions: a listing with integer and array
//    parameters, a commit of the certificate submitted above, then its road
//    to issuance: detail, the validation check, completion and download.
async function viaCommonClientActions() {
  const client = new CommonClient("ssl.tencentcloudapi.com", "2019-12-05", {
    credential: { secretId, secretKey },
    profile: { httpProfile: { protocol: "http://", endpoint: target.host } },
  });
  for (const [name, action, p] of [
    ["describe", "DescribeCertificates", { Offset: 0, Limit: 5, CertificateStatus: [5], SearchKey: "abcb" }],
    ["commit", "CommitCertificateInformation", { CertificateId: "abcb1234", VerifyType: "DNS" }],
    ["detail", "DescribeCertificateDetail", { CertificateId: "abcb1234" }],
    ["check", "CheckCertificateDomainVerification", { CertificateId: "abcb1234" }],
    ["complete", "CompleteCertificate", { CertificateId: "abcb1234" }],
    ["download", "DownloadCertificate", { CertificateId: "abcb1234" }],
    // The hosting actions, with their nested and integer parameters.
    ["bind-sync", "CreateCertificateBindResourceSyncTask", { CertificateIds: ["exppaid1"], IsCache: 0 }],
    ["bind-detail", "DescribeCertificateBindResourceTaskDetail", { TaskId: "task-nosuch", ResourceTypes: ["clb"], Regions: ["ap-guangzhou"] }],
    ["update", "UpdateCertificateInstance", { OldCertificateId: "testRolloutPartial", CertificateId: "longlive1", ResourceTypes: ["clb"],
      ResourceTypesRegions: [{ ResourceType: "clb", Regions: ["ap-guangzhou"] }], ExpiringNotificationSwitch: 0 }],
    ["update-detail", "DescribeHostUpdateRecordDetail", { DeployRecordId: "99", Limit: "200" }],
    ["update-retry", "UpdateCertificateRecordRetry", { DeployRecordId: 99 }],
    ["update-rollback", "UpdateCertificateRecordRollback", { DeployRecordId: 99 }],
    // The first deployment: to a CLB it needs the common Region, which this client has not.
    ["deploy-no-region", "DeployCertificateInstance", { CertificateId: "longlive1", ResourceType: "clb", InstanceIdList: ["lb-new00001|lbl-new00001"] }],
    ["deploy-cdn", "DeployCertificateInstance", { CertificateId: "longlive1", ResourceType: "cdn", InstanceIdList: ["new.example.com|off"] }],
    ["deploy-detail", "DescribeHostDeployRecordDetail", { DeployRecordId: "99", Limit: 200, Offset: 0 }],
    ["deploy-retry", "DeployCertificateRecordRetry", { DeployRecordId: 99 }],
    ["deploy-rollback", "DeployCertificateRecordRollback", { DeployRecordId: 99 }],
  ]) {
    try {
      const res = await client.request(action, p);
      const checks = (res.VerificationResults || []).map((r) => r.LocalCheck);
      console.log(JSON.stringify({ case: name, code: "", requestId: res.RequestId || "", total: res.TotalCount, status: res.Status, orderId: res.OrderId || "",
        localChecks: checks, contentType: res.ContentType || "", contentLength: (res.Content || "").length,
        tasks: (res.CertTaskIds || []).length, deployRecordId: res.DeployRecordId }));
    } catch (e) {
      report(name, { Response: { Error: { Code: e.code || "NodeSDKError", Message: e.message }, RequestId: e.requestId } });
    }
  }
}

// 4. The whole SDK with a region (X-TC-Region): a deployment to a CLB listener.
async function viaRegionalClient() {
  const client = new CommonClient("ssl.tencentcloudapi.com", "2019-12-05", {
    credential: { secretId, secretKey },
    region: "ap-guangzhou",
    profile: { httpProfile: { protocol: "http://", endpoint: target.host } },
  });
  try {
    const res = await client.request("DeployCertificateInstance", { CertificateId: "longlive1", ResourceType: "clb", InstanceIdList: ["lb-new00001|lbl-new00001"] });
    console.log(JSON.stringify({ case: "deploy-clb", code: "", requestId: res.RequestId || "", deployRecordId: res.DeployRecordId, status: res.DeployStatus }));
  } catch (e) {
    report("deploy-clb", { Response: { Error: { Code: e.code || "NodeSDKError", Message: e.message }, RequestId: e.requestId } });
  }
}

(async () => {
  await viaCommonClient();
  await viaCommonClientDirect();
  await viaSigner("signer");
  await viaSigner("signer-tampered", { tamper: true });
  await viaSigner("signer-hour-old", { age: 3600 });
  await viaCommonClientActions();
  await viaRegionalClient();
})().catch((e) => { console.error(e); process.exit(1); });
