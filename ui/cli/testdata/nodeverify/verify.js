// An endpoint independent of certwiz and its sandbox: it checks each
// request's TC3-HMAC-SHA256 signature by signing the request again with
// Tencent Cloud's own Node.js SDK signer, checks that the body holds only
// the action's documented parameters, answers in the service's shape, and
// prints one JSON line per request on stdout (after "listening HOST:PORT").
// Usage: node verify.js SECRET_ID SECRET_KEY SUBMIT_PARAMS_JSON
// (NODE_PATH names the node_modules holding tencentcloud-sdk-nodejs-common.)
"use strict";
const http = require("http");
const Sign = require("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign").default;

const [secretId, secretKey, submitParams] = process.argv.slice(2);

// The documented request parameters of each action (lifecycle.md, api.md).
const documented = {
  SubmitCertificateInformation: JSON.parse(submitParams),
  DescribeCertificates: ["Offset", "Limit", "SearchKey", "CertificateStatus", "FilterSource", "ExpirationSort",
    "IsPendingIssue", "CertIds", "FilterExpiring", "CertificateType", "ProjectId"],
  DescribeCertificateDetail: ["CertificateId"],
  CommitCertificateInformation: ["CertificateId", "VerifyType"],
  CheckCertificateDomainVerification: ["CertificateId"],
  CompleteCertificate: ["CertificateId"],
  DownloadCertificate: ["CertificateId"],
  // The SDK's request parameters of the hosting actions `bindings` calls.
  CreateCertificateBindResourceSyncTask: ["CertificateIds", "IsCache"],
  DescribeCertificateBindResourceTaskDetail: ["TaskId", "Limit", "Offset", "ResourceTypes", "Regions"],
  UpdateCertificateInstance: ["OldCertificateId", "ResourceTypes", "CertificateId", "Regions", "ResourceTypesRegions",
    "CertificatePublicKey", "CertificatePrivateKey", "ExpiringNotificationSwitch", "Repeatable", "AllowDownload", "Tags", "ProjectId"],
  DescribeHostUpdateRecordDetail: ["DeployRecordId", "Limit", "Offset"],
  UpdateCertificateRecordRetry: ["DeployRecordId", "DeployRecordDetailId"],
  UpdateCertificateRecordRollback: ["DeployRecordId"],
  ModifyCertificatesExpiringNotificationSwitch: ["CertificateIds", "SwitchStatus"],
  // The SDK's request parameters of the first deployment's actions `deploy` calls.
  DeployCertificateInstance: ["CertificateId", "InstanceIdList", "ResourceType", "Status", "IsCache"],
  DescribeHostDeployRecordDetail: ["DeployRecordId", "Offset", "Limit"],
  DeployCertificateRecordRetry: ["DeployRecordId", "DeployRecordDetailId"],
  DeployCertificateRecordRollback: ["DeployRecordId"],
};

const certificates = [
  { CertificateId: "node0001", Domain: "www.example.com", Alias: null, ProductZhName: "TrustAsia DV 多域名", PackageType: "11",
    PackageTypeName: "TrustAsia 域名型多域名 SSL 证书", Status: 5, StatusName: "待提交资料", StatusMsg: null, VerifyType: null,
    InsertTime: "2026-11-20 10:15:00", CertBeginTime: null, CertEndTime: null, SubjectAltName: ["www.example.com", "example.com"],
    IsDv: true, IsWildcard: false, DVAuthDeadline: null },
  { CertificateId: "node0002", Domain: "bank.example.com", Alias: null, ProductZhName: null, PackageType: "4",
    PackageTypeName: "SecureSite 增强型(EV)", Status: 0, StatusName: "审核中", StatusMsg: "PENDING-DCV", VerifyType: "DNS",
    InsertTime: "2026-11-19 08:00:00", CertBeginTime: null, CertEndTime: null, SubjectAltName: null,
    IsDv: false, IsWildcard: false, DVAuthDeadline: "2026-11-26 08:00:00" },
];

// node0002 waits for domain validation (one TXT record) until
// CompleteCertificate, then it is issued.
let completed = false;
let updates = 0;
let deployments = 0;
const beijing = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 19).replace("T", " ");

let n = 0;
const requestId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;

function answer(action, params) {
  switch (action) {
    case "SubmitCertificateInformation":
      return { CertificateId: params.CertificateId };
    case "DescribeCertificates": {
      const offset = params.Offset || 0, limit = params.Limit === undefined ? 10 : params.Limit;
      let list = certificates;
      if (params.CertificateStatus) list = list.filter((c) => params.CertificateStatus.includes(c.Status));
      return { TotalCount: list.length, Certificates: list.slice(offset, offset + limit) };
    }
    case "DescribeCertificateDetail":
      if (params.CertificateId === "node0005") {
        // Issued, for www.example.com: it replaces node0001 where that is served.
        return { ...certificates[0], CertificateId: "node0005", Status: 1, StatusName: "已通过", OrderId: "CA000000000045",
          CertBeginTime: beijing(Date.now()), CertEndTime: beijing(Date.now() + 365 * 86400e3), SubmittedData: null,
          DvAuthDetail: null, CertificatePrivateKey: null, CertificatePublicKey: null };
      }
      if (params.CertificateId === "node0002") {
        return { ...certificates[1], Status: completed ? 1 : 0, StatusName: completed ? "已通过" : "审核中",
          StatusMsg: completed ? null : "PENDING-DCV", OrderId: "CA000000000043",
          DVAuthDeadline: beijing(Date.now() + 7 * 86400e3),
          CertBeginTime: completed ? beijing(Date.now()) : null, CertEndTime: completed ? beijing(Date.now() + 365 * 86400e3) : null,
          SubmittedData: { CsrType: "online", CertificateDomain: "bank.example.com", KeyPassword: "node-key-password-never-shown", VerifyType: "DNS" },
          DvAuthDetail: { DvAuthKey: "_dnsauth.bank", DvAuthValue: "node-dcv-value", DvAuthDomain: "example.com", DvAuthPath: null,
            DvAuthKeySubDomain: "_dnsauth.bank", DvAuths: [{ DvAuthKey: "_dnsauth.bank", DvAuthValue: "node-dcv-value",
              DvAuthDomain: "example.com", DvAuthPath: null, DvAuthSubDomain: "_dnsauth.bank", DvAuthVerifyType: "TXT" }] },
          CertificatePrivateKey: completed ? "-----BEGIN PRIVATE KEY-----never shown" : null, CertificatePublicKey: null };
      }
      return { ...certificates[0], CertificateId: params.CertificateId, OrderId: null,
        SubmittedData: { CsrType: "online", CertificateDomain: "www.example.com", DomainList: ["example.com"],
          KeyPassword: "node-key-password-never-shown", OrganizationName: "Example Node Co.", AdminFirstName: "Lei",
          AdminLastName: "Li", AdminEmail: "admin@example.com", ContactFirstName: "Mei", ContactLastName: "Han",
          ContactEmail: "contact@example.com", VerifyType: "DNS" },
        DvAuthDetail: null, CertificatePrivateKey: "-----BEGIN PRIVATE KEY-----never shown", CertificatePublicKey: null };
    case "CommitCertificateInformation":
      return { OrderId: "CA000000000042", Status: params.VerifyType === "DNS_AUTO" ? 4 : 0 };
    case "CheckCertificateDomainVerification":
      return { VerificationResults: [{ Domain: "bank.example.com", VerifyType: "DNS", LocalCheck: completed ? 1 : -1,
        LocalCheckFailReason: completed ? null : "no TXT record", CheckValue: completed ? ["node-dcv-value"] : [],
        CaCheck: completed ? 2 : -1, Frequently: false, Issued: completed }] };
    case "CompleteCertificate":
      completed = true;
      return { CertificateId: params.CertificateId };
    case "CreateCertificateBindResourceSyncTask":
      return { CertTaskIds: params.CertificateIds.map((id) => ({ CertId: id, TaskId: "node-task-" + id })) };
    case "DescribeCertificateBindResourceTaskDetail": {
      // node0001 is served by one CDN domain (the task's ID names it) until
      // an update put node0005 there.
      const id = params.TaskId.replace("node-task-", "");
      if (id === "node0001" && updates >= 2) return { Status: 1, CacheTime: "2026-11-20 10:17:00", CLB: [], WAF: [], CDN: [] };
      return { Status: 1, CacheTime: "2026-11-20 10:16:00", CLB: [], WAF: [],
        CDN: [{ TotalCount: 1, Error: null, InstanceList: [{ Domain: "www.example.com", CertId: id,
          Status: "online", HttpsBillingSwitch: "on" }] }] };
    }
    case "ModifyCertificatesExpiringNotificationSwitch":
      return { CertificateIds: params.CertificateIds };
    case "UpdateCertificateInstance":
      // The first answer says the task is still being created (0), as Tencent's can.
      updates++;
      return { DeployRecordId: updates === 1 ? 0 : 4242, DeployStatus: 1, UpdateSyncProgress: null };
    case "DescribeHostUpdateRecordDetail":
      return { TotalCount: 1, SuccessTotalCount: 1, FailedTotalCount: 0, RunningTotalCount: 0, PendingTotalCount: 0,
        RecordDetailList: [{ ResourceType: "cdn", TotalCount: 1, List: [{ Id: 4243, CertId: "node0005", OldCertId: "node0001",
          Domains: ["www.example.com"], ResourceType: "cdn", Region: null, Status: 1, ErrorMsg: null, InstanceId: "www.example.com",
          InstanceName: null, ListenerId: null, ListenerName: null }] }] };
    case "DeployCertificateInstance":
      // As the update: the first answer says the task is still being created (0).
      deployments++;
      return { DeployRecordId: deployments === 1 ? 0 : 4343, DeployStatus: 1 };
    case "DescribeHostDeployRecordDetail":
      // The deployment's flat list, without ResourceType; the listener served nothing before.
      return { TotalCount: 1, SuccessTotalCount: 1, FailedTotalCount: 0, RunningTotalCount: 0, PendingTotalCount: 0,
        DeployRecordDetailList: [{ Id: 4344, CertId: "node0005", OldCertId: null, InstanceId: "lb-node0001", InstanceName: "node-gz",
          ListenerId: "lbl-node0001", ListenerName: "https-443", Domains: ["www.example.com"], Protocol: "HTTPS", Status: 1, ErrorMsg: null,
          SniSwitch: 1, Region: "ap-guangzhou", Port: 443 }] };
    case "DownloadCertificate":
      // The test hands over the archive of node0002's issued certificate.
      return { Content: process.env.CERTWIZ_NODE_ZIP || "", ContentType: "application/zip" };
  }
  return null;
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const action = req.headers["x-tc-action"] || "";
    const timestamp = Number(req.headers["x-tc-timestamp"]);
    const auth = req.headers.authorization || "";
    const scope = /Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request/.exec(auth) || [];
    const service = scope[3] || "";
    let expected = "";
    try {
      expected = Sign.sign3({ method: "POST", url: `https://${req.headers.host}/`, payload: body, timestamp, service,
        secretId, secretKey, headers: { "Content-Type": req.headers["content-type"] } });
    } catch (e) {
      expected = "sign3 failed: " + e.message;
    }
    let params = null, problems = [];
    try {
      params = JSON.parse(body.toString("utf8"));
    } catch (e) {
      problems.push("body is not JSON");
    }
    if (!documented[action]) problems.push(`action ${action} is not served`);
    else if (params) for (const k of Object.keys(params)) if (!documented[action].includes(k)) problems.push(`${k} is not a parameter of ${action}`);
    const line = { action, host: req.headers.host, service, version: req.headers["x-tc-version"] || "", region: req.headers["x-tc-region"] || "",
      signatureOK: auth === expected, params, problems };
    console.log(JSON.stringify(line));
    let response;
    if (!line.signatureOK) {
      response = { Error: { Code: "AuthFailure.SignatureFailure", Message: "The Node.js SDK signer computes another signature." } };
    } else if (problems.length) {
      response = { Error: { Code: "UnknownParameter", Message: problems.join("; ") } };
    } else {
      response = answer(action, params);
    }
    response.RequestId = requestId();
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ Response: response }));
  });
});

server.listen(0, "127.0.0.1", () => {
  const a = server.address();
  console.log(`listening ${a.address}:${a.port}`);
});
