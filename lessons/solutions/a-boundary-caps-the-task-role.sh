# A permissions boundary is the most a role's own policies can grant: the
# developer's s3:* stays, and only what DeveloperBoundary also allows is
# allowed. Calls are decided on the spot, so no deployment is needed.
aws iam get-policy --policy-arn arn:aws:iam::111122223333:policy/DeveloperBoundary --query 'Policy.Arn'
aws iam put-role-permissions-boundary --role-name uploaderRole \
    --permissions-boundary arn:aws:iam::111122223333:policy/DeveloperBoundary
aws iam get-role --role-name uploaderRole --query 'Role.PermissionsBoundary.PermissionsBoundaryArn' --output text
aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:role/uploaderRole \
    --action-names s3:PutObject --resource-arns arn:aws:s3:::billing/ledger.csv arn:aws:s3:::team-uploads/in/report.csv \
    --query 'EvaluationResults[].[EvalResourceName,EvalDecision]' --output text
