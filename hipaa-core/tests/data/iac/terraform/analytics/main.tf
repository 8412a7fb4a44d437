# A data warehouse with a TLS parameter group and separate logging, caches and search domains,
# one domain policy given as a separate resource.
resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

resource "aws_redshift_parameter_group" "tls" {
  name   = "hipaa-fixture-tls"
  family = "redshift-1.0"
  parameter {
    name  = "require_ssl"
    value = "true"
  }
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier           = "hipaa-fixture-warehouse"
  node_type                    = "ra3.xlplus"
  cluster_type                 = "single-node"
  database_name                = "claims"
  master_username              = "admin"
  manage_master_password       = true
  encrypted                    = true
  kms_key_id                   = aws_kms_key.data.arn
  publicly_accessible          = false
  cluster_parameter_group_name = aws_redshift_parameter_group.tls.name
}

resource "aws_redshift_logging" "warehouse" {
  cluster_identifier   = aws_redshift_cluster.warehouse.id
  log_destination_type = "cloudwatch"
  log_exports          = ["connectionlog", "userlog", "useractivitylog"]
}

resource "aws_redshift_cluster" "scratch" {
  cluster_identifier     = "hipaa-fixture-scratch"
  node_type              = "ra3.xlplus"
  cluster_type           = "single-node"
  database_name          = "scratch"
  master_username        = "admin"
  manage_master_password = true
  encrypted              = false
  publicly_accessible    = true
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "hipaa-fixture-sessions"
  description                = "sessions"
  engine                     = "valkey"
  node_type                  = "cache.t4g.micro"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.data.arn
  transit_encryption_enabled = true
  auth_token                 = "placeholder-token-of-32-characters"
  snapshot_retention_limit   = 7
}

resource "aws_elasticache_replication_group" "plain" {
  replication_group_id = "hipaa-fixture-plain"
  description          = "plain"
  engine               = "redis"
  node_type            = "cache.t4g.micro"
  num_cache_clusters   = 1
}

resource "aws_opensearch_domain" "search" {
  domain_name    = "hipaa-fixture-search"
  engine_version = "OpenSearch_2.13"
  encrypt_at_rest {
    enabled    = true
    kms_key_id = aws_kms_key.data.arn
  }
  node_to_node_encryption {
    enabled = true
  }
  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }
  advanced_security_options {
    enabled                        = true
    internal_user_database_enabled = false
    master_user_options {
      master_user_arn = "arn:aws:iam::111122223333:role/search-admin"
    }
  }
  log_publishing_options {
    log_type                 = "AUDIT_LOGS"
    cloudwatch_log_group_arn = "arn:aws:logs:us-east-1:111122223333:log-group:search-audit"
  }
  ebs_options {
    ebs_enabled = true
    volume_size = 10
  }
}

resource "aws_opensearch_domain" "open" {
  domain_name    = "hipaa-fixture-open"
  engine_version = "OpenSearch_2.13"
  ebs_options {
    ebs_enabled = true
    volume_size = 10
  }
}

resource "aws_opensearch_domain_policy" "open" {
  domain_name = aws_opensearch_domain.open.domain_name
  access_policies = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "es:*"
      Resource  = "*"
    }]
  })
}
