"""Copy reports between the Batch job and its results bucket (the wrapper's only writes).

    results.py put BUCKET KEY FILE [EXIT_CODE]     upload FILE (metadata hipaa-exit-code)
    results.py get s3://BUCKET/KEY FILE           download one object
    results.py get-all BUCKET PREFIX DIR          download every object under PREFIX into DIR

Credentials come from boto3's chain (the job role in Batch); HIPAA_ENDPOINT_URL points at an
emulator for tests. Standard library plus boto3 (python3-boto3 in the image).
"""
from __future__ import annotations

import os
import sys

import boto3


def _s3():
    return boto3.client("s3", endpoint_url=os.environ.get("HIPAA_ENDPOINT_URL") or None)


def put(bucket: str, key: str, path: str, code: str = "") -> None:
    extra = {"ContentType": "text/html" if path.endswith(".html") else "application/json"}
    if code:
        extra["Metadata"] = {"hipaa-exit-code": code}
    extra["ServerSideEncryption"] = "aws:kms" if os.environ.get("HIPAA_RESULTS_KMS") else "AES256"
    if os.environ.get("HIPAA_RESULTS_KMS"):
        extra["SSEKMSKeyId"] = os.environ["HIPAA_RESULTS_KMS"]
    _s3().upload_file(path, bucket, key, ExtraArgs=extra)


def get(uri: str, path: str) -> None:
    if not uri.startswith("s3://") or "/" not in uri[5:]:
        raise SystemExit(f"results.py: `{uri}` is not s3://bucket/key")
    bucket, key = uri[5:].split("/", 1)
    _s3().download_file(bucket, key, path)


def get_all(bucket: str, prefix: str, directory: str) -> None:
    s3 = _s3()
    found = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            name = os.path.basename(item["Key"])
            s3.download_file(bucket, item["Key"], os.path.join(directory, name))
            found += 1
    if not found:
        raise SystemExit(f"results.py: nothing under s3://{bucket}/{prefix}")


def main(argv: list[str]) -> int:
    commands = {"put": (put, (3, 4)), "get": (get, (2, 2)), "get-all": (get_all, (3, 3))}
    if not argv or argv[0] not in commands:
        raise SystemExit(__doc__)
    fn, (low, high) = commands[argv[0]]
    if not low <= len(argv) - 1 <= high:
        raise SystemExit(__doc__)
    fn(*argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
