# Linkage case: the bucket's name (and so its id) is known only at apply (`bucket_prefix`); the
# policy, versioning and encryption resources are tied to it by the configuration's references.
resource "aws_s3_bucket" "uploads" {
  bucket_prefix = "hipaa-uploads-"
  tags          = { DataClass = "PHI" }
}

resource "aws_s3_bucket_versioning" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# The policy names the bucket's ARN, computed at apply: its text is unknown until apply.
resource "aws_s3_bucket_policy" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["${aws_s3_bucket.uploads.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false
  restrict_public_buckets = true
}

resource "aws_cloudtrail" "main" {
  name                          = "hipaa-fixture-trail"
  s3_bucket_name                = aws_s3_bucket.uploads.id
  is_multi_region_trail         = true
  enable_log_file_validation    = false
}
