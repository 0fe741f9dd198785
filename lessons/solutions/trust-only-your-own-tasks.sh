# StringEquals takes the * literally, so aws:SourceArn never matched and ECS
# could not assume the role. ArnLike matches the wildcard; the account
# condition stays, so ECS still refuses to act for another account's task.
aws ecs describe-services --cluster platform --services reports --query 'services[0].events[0].message' --output text
aws iam update-assume-role-policy --role-name reportsRole --policy-document '{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Service": "ecs-tasks.amazonaws.com"},
    "Action": "sts:AssumeRole",
    "Condition": {
      "ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111122223333:*"},
      "StringEquals": {"aws:SourceAccount": "111122223333"}
    }
  }]
}'
aws ecs wait services-stable --cluster platform --services reports
