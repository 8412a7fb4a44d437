# Functions with permissions and URLs, registries, task definitions (JSON container definitions)
# and clusters. Environment values here are placeholders; the converter keeps only names.
resource "aws_kms_key" "apps" {
  enable_key_rotation = true
}

resource "aws_secretsmanager_secret" "db" {
  name       = "hipaa-fixture-db"
  kms_key_id = aws_kms_key.apps.arn
}

resource "aws_lambda_function" "worker" {
  function_name = "hipaa-fixture-worker"
  role          = "arn:aws:iam::111122223333:role/worker"
  runtime       = "nodejs22.x"
  handler       = "index.handler"
  filename      = "../module/modules/phi/rotate.zip"
  kms_key_arn   = aws_kms_key.apps.arn
  environment {
    variables = {
      DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db.arn
      LOG_LEVEL              = "info"
    }
  }
}

resource "aws_lambda_function" "legacy" {
  function_name = "hipaa-fixture-legacy"
  role          = "arn:aws:iam::111122223333:role/legacy"
  runtime       = "nodejs16.x"
  handler       = "index.handler"
  filename      = "../module/modules/phi/rotate.zip"
  environment {
    variables = {
      SERVICE_PASSWORD = "placeholder-not-a-credential"
    }
  }
}

resource "aws_lambda_permission" "legacy_public" {
  function_name = aws_lambda_function.legacy.function_name
  action        = "lambda:InvokeFunction"
  principal     = "*"
}

resource "aws_lambda_function_url" "legacy" {
  function_name      = aws_lambda_function.legacy.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "worker_events" {
  function_name = aws_lambda_function.worker.function_name
  action        = "lambda:InvokeFunction"
  principal     = "events.amazonaws.com"
  source_arn    = "arn:aws:events:us-east-1:111122223333:rule/nightly"
}

resource "aws_ecr_repository" "images" {
  name                 = "images"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.apps.arn
  }
}

resource "aws_ecr_repository" "scratch" {
  name = "scratch"
}

resource "aws_ecr_repository_policy" "scratch" {
  repository = aws_ecr_repository.scratch.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name                   = "app"
    image                  = "111122223333.dkr.ecr.us-east-1.amazonaws.com/images:1"
    readonlyRootFilesystem = true
    logConfiguration       = { logDriver = "awslogs", options = { "awslogs-group" = "api", "awslogs-region" = "us-east-1", "awslogs-stream-prefix" = "app" } }
    environment            = [{ name = "REGION", value = "us-east-1" }]
  }])
}

resource "aws_ecs_task_definition" "batch" {
  family = "batch"
  container_definitions = jsonencode([{
    name        = "job"
    image       = "busybox"
    privileged  = true
    environment = [{ name = "DB_PASSWORD", value = "placeholder-not-a-credential" }]
  }])
}

resource "aws_ecs_task_definition" "computed" {
  family = "computed"
  container_definitions = jsonencode([{
    name  = "app"
    image = aws_ecr_repository.images.repository_url
  }])
}

resource "aws_eks_cluster" "platform" {
  name                      = "hipaa-fixture-platform"
  role_arn                  = "arn:aws:iam::111122223333:role/eks"
  version                   = "1.33"
  enabled_cluster_log_types = ["api", "audit", "authenticator"]
  vpc_config {
    subnet_ids              = ["subnet-0a", "subnet-0b"]
    endpoint_public_access  = false
    endpoint_private_access = true
  }
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.apps.arn
    }
  }
}

resource "aws_eks_cluster" "sandbox" {
  name     = "hipaa-fixture-sandbox"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = ["subnet-0a", "subnet-0b"]
  }
}

resource "aws_ecr_registry_scanning_configuration" "registry" {
  scan_type = "BASIC"
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "images"
      filter_type = "WILDCARD"
    }
  }
}
