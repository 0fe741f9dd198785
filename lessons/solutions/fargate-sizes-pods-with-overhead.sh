# A Fargate profile selects namespace batch, but does not create it.
kubectl create namespace batch
# 1 vCPU pairs with 2 to 8 GB. Fargate adds 256 MiB for the kubelet,
# kube-proxy and containerd, then rounds up: 1792Mi + 256 MiB = 2 GB.
echo 'apiVersion: apps/v1
kind: Deployment
metadata:
  name: report
  namespace: batch
spec:
  replicas: 2
  selector:
    matchLabels:
      app: report
  template:
    metadata:
      labels:
        app: report
    spec:
      containers:
      - name: report
        image: public.ecr.aws/docker/library/python:3.12-slim
        resources:
          requests:
            cpu: 1000m
            memory: 1792Mi' > report.yaml
kubectl apply -f report.yaml
kubectl rollout status deployment/report -n batch
kubectl describe pod report-00001 -n batch
