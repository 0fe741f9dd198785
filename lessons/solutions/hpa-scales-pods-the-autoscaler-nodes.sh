# web, 500m of CPU per pod, and an HPA that keeps the pods at 50% of it
# (2 to 20 replicas): the HPA Walkthrough's pair of objects.
echo 'apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: registry.k8s.io/hpa-example
        resources:
          requests:
            cpu: 500m
            memory: 512Mi
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 20
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 50' > web.yaml
kubectl apply -f web.yaml
# The traffic: 400m of work, ten times that from minute 10 for half an hour.
dockyard set-pod-load --deployment web --load '{"shape": "spike", "base": 400, "peak": 4000, "at": 600, "duration": 1800}'
kubectl get hpa
